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
        if let reason { logger.warning("broker connection closed", metadata: [LogKeys.connection: "\(id)", LogKeys.reason: "\(reason)"]) }
        workerTotals.retire(connection: id)
        perform(broker.disconnected(id, now: clock.now()))
    }

    func perform(_ actions: [Broker.Action]) {
        for action in actions {
            switch action {
            case .send(let id, let bytes): connections[id]?.stream.write(bytes)
            case .close(let id, let reason): drop(id, reason: reason, flush: true)
            case .setLogLevel(let name):
                if let level = Logger.Level(operatorName: name) {
                    LogLevelControl.level = level
                    logger.notice("log level changed", metadata: [LogKeys.logLevel: "\(level)"])
                }
            case .answerCtl(let id, let request): connections[id]?.stream.write(IPCMessage.ctlReply(ctlAnswer(request)).frame())
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
                    logger.error("child stopped heartbeating; killing it", metadata: [LogKeys.child: "\(id)", LogKeys.childPID: "\(pid)"])
                    process.kill(SIGKILL)
                }
            case .drained: perform(tree.brokerDrained(now: clock.now()))
            case .log(let event): log(event)
            }
        }
    }
}

extension Duration {
    /// As floating-point seconds, for metrics.
    var seconds: Double {
        let (s, atto) = components
        return Double(s) + Double(atto) / 1e18
    }
}
