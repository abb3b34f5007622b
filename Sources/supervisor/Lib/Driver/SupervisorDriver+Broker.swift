import Logging
import Shared

#if canImport(Glibc)
    import Glibc
#endif

/// One accepted broker connection: its stream and its decoder.
final class BrokerConnection {
    let stream: UnixStream
    var decoder = MessageDecoder(opaquePayloads: true)
    var closing = false

    init(stream: UnixStream) { self.stream = stream }
}

/// Broker sockets: reading frames into the broker state machine and performing its actions.
extension SupervisorDriver {
    func accepted(_ stream: UnixStream) {
        let id = nextConnectionID
        nextConnectionID += 1
        let connection = BrokerConnection(stream: stream)
        connections[id] = connection
        do {
            try stream.startReading { [unowned self] event in read(event, on: id) }
        } catch {
            drop(id, reason: "cannot read: \(error)")
        }
    }

    private func read(_ event: StreamHandle.ReadEvent, on id: Broker.ConnectionID) {
        guard let connection = connections[id], !connection.closing else { return }
        let now = clock.now()
        switch event {
        case .data(let bytes):
            // Frames sent while handling one read go out together: one write per peer, not per frame.
            outbox.begin()
            defer { flushOutbox() }
            do {
                for decoded in try connection.decoder.feed(bytes) {
                    perform(broker.received(decoded, from: id, now: now))
                    if connection.closing { return }
                }
            } catch {
                metrics.increment(SupervisorMetrics.protocolErrors)
                perform(broker.protocolError(error, on: id, now: now))
            }
        case .endOfFile:
            if (try? connection.decoder.finish()) == nil {
                logger.warning("broker connection ended mid-frame", metadata: [LogKeys.connection: "\(id)"])
            }
            drop(id, reason: nil)
        case .failed(let error):
            drop(id, reason: "\(error)")
        }
    }

    /// Closes a connection now and tells the broker it is gone.
    func drop(_ id: Broker.ConnectionID, reason: String?, flush: Bool = false) {
        guard let connection = connections.removeValue(forKey: id) else { return }
        connection.closing = true
        if flush { connection.stream.closeAfterFlush() } else { connection.stream.close() }
        if let reason {
            logger.warning(
                "broker connection closed", metadata: [LogKeys.connection: "\(id)", LogKeys.reason: "\(reason)"])
        }
        workerTotals.retire(connection: id)
        perform(broker.disconnected(id, now: clock.now()))
    }

    /// Writes what the outbox holds (for one connection, or all when the batch ends).
    func flushOutbox(only id: Broker.ConnectionID? = nil) {
        for (connection, bytes) in outbox.take(only: id) { connections[connection]?.stream.write(bytes) }
    }

    func perform(_ actions: [Broker.Action]) {
        for action in actions {
            switch action {
            case .send(let id, let bytes):
                if !outbox.add(bytes, to: id) { connections[id]?.stream.write(bytes) }
            case .close(let id, let reason):
                flushOutbox(only: id)
                drop(id, reason: reason, flush: true)
            case .setLogLevel(let name):
                if let level = Logger.Level(operatorName: name) {
                    LogLevelControl.level = level
                    logger.notice("log level changed", metadata: [LogKeys.logLevel: "\(level)"])
                }
            case .answerCtl(let id, let request):
                let reply = IPCMessage.ctlReply(ctlAnswer(request)).frame()
                if !outbox.add(reply, to: id) { connections[id]?.stream.write(reply) }
            case .metricsReported(let id, let report):
                workerTotals.report(connection: id, counters: report.counters)
                for gauge in report.gauges {
                    metrics.declare(gauge.name, .gauge, help: "Reported by workers.")
                    metrics.set(gauge.name, labels: gauge.labels, to: gauge.value)
                }
            case .completed(let latency):
                metrics.observe(SupervisorMetrics.roundTrip, latency.seconds)
                metrics.increment(SupervisorMetrics.commands, labels: ["outcome": "completed"])
            case .unresponsive(let pid):
                // Only our own children: a ctl client's pid is whatever it claimed.
                if let (id, process) = processes.first(where: { $0.value.pid == pid }) {
                    logger.error(
                        "child stopped heartbeating; killing it",
                        metadata: [LogKeys.child: "\(id)", LogKeys.childPID: "\(pid)"])
                    process.kill(SIGKILL)
                }
            case .drained: perform(tree.brokerDrained(now: clock.now()))
            case .log(let event): log(event)
            }
        }
    }
}

/// Frames queued per connection while one read is handled, written when it is done.
struct Outbox {
    private var pending: [Broker.ConnectionID: [UInt8]] = [:]
    private var order: [Broker.ConnectionID] = []
    private var active = false

    mutating func begin() { active = true }

    /// Queues `bytes` when a batch is open; false means "write it now".
    mutating func add(_ bytes: [UInt8], to id: Broker.ConnectionID) -> Bool {
        guard active else { return false }
        if pending[id] == nil { order.append(id) }
        pending[id, default: []] += bytes
        return true
    }

    /// Removes and returns queued bytes, in first-queued order; ends the batch unless `only` is given.
    mutating func take(only id: Broker.ConnectionID? = nil) -> [(Broker.ConnectionID, [UInt8])] {
        if let id {
            order.removeAll { $0 == id }
            return pending.removeValue(forKey: id).map { [(id, $0)] } ?? []
        }
        defer {
            pending = [:]
            order = []
            active = false
        }
        return order.compactMap { connection in pending[connection].map { (connection, $0) } }
    }
}

extension Duration {
    /// As floating-point seconds, for metrics.
    var seconds: Double {
        let (s, atto) = components
        return Double(s) + Double(atto) / 1e18
    }
}
