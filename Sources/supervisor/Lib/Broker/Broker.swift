import BrokerProtocol
import Models
import Runtime

/// The broker's routing as a pure state machine (docs/architecture.md#broker-protocol): commands in from any requester,
/// out to executors by key; results back to the requester, exactly one per command.
///
/// Guarantees: a command accepted is answered exactly once while its requester is connected —
/// by its executor, by another executor after the first one died, or by the broker itself
/// (`busy`, `shutting-down`, `duplicate-id`, `not-leading`); results from an executor that no longer holds
/// the command are dropped. Commands with one key go to one live executor at a time, in order.
/// Assumptions: command ids are unique among the commands in flight; executors' writes are
/// idempotent, so a command re-dispatched after a crash may safely run twice.
public struct Broker: Sendable {
    /// A connection, numbered by the driver.
    public typealias ConnectionID = Int

    /// Limits that keep memory bounded.
    public struct Limits: Sendable, Equatable {
        /// Commands waiting for an executor; beyond it a command is answered `busy` (backpressure).
        public var queueLimit: Int
        /// Commands one executor holds at once. Large on purpose: the executor performs only
        /// `EXECUTOR_CONCURRENCY` of them at a time and picks which (exit handlers first), which it
        /// can do only for commands it holds; a small window here would keep the line in FIFO order.
        public var perExecutor: Int
        /// A worker silent for longer is disconnected (its process then exits on EOF and is restarted).
        public var heartbeatTimeout: Duration

        public init(queueLimit: Int = 1000, perExecutor: Int = 1024, heartbeatTimeout: Duration = .seconds(15)) {
            self.queueLimit = queueLimit
            self.perExecutor = perExecutor
            self.heartbeatTimeout = heartbeatTimeout
        }
    }

    /// What the driver does.
    public enum Action: Equatable, Sendable {
        /// Write these bytes (one or more frames) to the connection.
        case send(ConnectionID, [UInt8])
        /// Close after writing what is queued; `reason` is logged.
        case close(ConnectionID, reason: String)
        case setLogLevel(String)
        case answerCtl(ConnectionID, CtlRequest)
        case metricsReported(ConnectionID, MetricsReport)
        /// A command completed `latency` after it was first accepted.
        case completed(latency: Duration)
        /// The worker process `pid` stopped heartbeating: a hung process is killed so it restarts.
        case unresponsive(pid: Int32)
        /// Routing was stopped and the ledger is empty.
        case drained
        case log(BrokerLogEvent)
    }

    /// One peer after its `hello`.
    public struct Peer: Sendable, Equatable {
        public var hello: Hello
        public var ready = false
        public var conditions = WorkerConditions()
        public var lastSeen: Duration
        public var inFlight = 0
    }

    /// A command the broker accepted and has not answered yet.
    public struct InFlight: Sendable, Equatable {
        public var requester: ConnectionID
        public var key: ObjectKey
        public var frame: [UInt8]
        public var acceptedAt: Duration
        /// The executor holding the command (it was sent there); nil while it waits.
        public var executor: ConnectionID?
        /// The executor whose lane the command waits in; nil while no executor is ready.
        var lane: ConnectionID?
        /// Acceptance order, unique for the broker's lifetime (ids are unique only while in flight).
        var ticket: UInt64
    }

    /// Accepted command ids waiting for an executor, oldest first.
    public var pending: [String] {
        let lanes = self.lanes.values.flatMap { $0.live(isLive: isWaiting) } + unassigned.live(isLive: isWaiting)
        return lanes.sorted { $0.ticket < $1.ticket }.map(\.id)
    }

    /// How many accepted commands wait for an executor.
    public internal(set) var pendingCount = 0

    /// True for the waiting command an entry of a queue stands for.
    func isWaiting(_ entry: PendingQueue.Entry) -> Bool {
        guard let command = ledger[entry.id] else { return false }
        return command.ticket == entry.ticket && command.executor == nil
    }

    public let limits: Limits
    public internal(set) var peers: [ConnectionID: Peer] = [:]
    var greeted: Set<ConnectionID> = []
    public internal(set) var ledger: [String: InFlight] = [:]
    /// Each ready executor's waiting commands: routing a key to an executor happens once, when
    /// the command is accepted, so dispatch after a result looks at one lane, not the whole queue.
    var lanes: [ConnectionID: PendingQueue] = [:]
    /// Commands accepted while no executor was ready.
    var unassigned = PendingQueue()
    var nextTicket: UInt64 = 0
    /// The executor each key's commands go to while it has any waiting or in flight, and how many.
    var keyOwners: [ObjectKey: (executor: ConnectionID, count: Int)] = [:]
    public internal(set) var routing = true
    /// False while this replica is a standby: commands are accepted and held, none dispatched.
    public internal(set) var leading = true
    var drainedReported = false
    let version: String

    public init(limits: Limits = Limits(), version: String = OperatorVersion.current) {
        self.limits = limits
        self.version = version
    }

    /// A message arrived on `connection`.
    public mutating func received(_ decoded: DecodedMessage, from connection: ConnectionID, now: Duration) -> [Action] {
        guard var peer = peers[connection] else { return greet(decoded.message, connection: connection, now: now) }
        peer.lastSeen = now
        peers[connection] = peer
        switch decoded.message {
        case .heartbeat: return []
        case .ready: return markReady(connection)
        case .conditions(let c):
            let merged = merge(peer.conditions, c)
            peers[connection]?.conditions = merged
            return []
        case .command(let command):
            return accept(command, frame: FrameCodec.encode(decoded.payload), from: connection, now: now)
        case .result(let result):
            return complete(result, frame: FrameCodec.encode(decoded.payload), from: connection, now: now)
        case .metrics(let report): return [.metricsReported(connection, report)]
        case .logLevel(let level): return [.setLogLevel(level)] + broadcast(.logLevel(level))
        case .ctl(let request): return [.answerCtl(connection, request)]
        case .hello, .welcome, .shutdown, .leadership, .ctlReply, .error:
            return closing(connection, "unexpected \"\(decoded.message.typeName)\" message")
        }
    }

    /// The connection's input broke the protocol: close only it.
    public mutating func protocolError(_ error: ProtocolError, on connection: ConnectionID, now: Duration) -> [Action] {
        [.send(connection, IPCMessage.error(error.description).frame())] + closing(connection, error.description)
    }

    /// Routing stops: new commands are answered `shutting-down`; accepted ones still complete.
    public mutating func stopRouting() -> [Action] {
        routing = false
        return broadcast(.shutdown, roles: ["watcher", "gc"]) + drainedIfEmpty()
    }

    /// This replica starts or stops leading. A standby holds every command it accepts (up to
    /// the queue limit, then `busy`) and dispatches none, so its executors write nothing. On
    /// taking the lead it answers what it holds `not-leading` instead of dispatching it: those
    /// commands were decided on state the old leader has changed since, and not every write is
    /// guarded against that (a held "create the main pod" of a run that has ended since and whose
    /// pod is gone would start the pipeline again). The requester decides again from its current
    /// caches. The gc is told, since it writes itself.
    public mutating func setLeading(_ leading: Bool) -> [Action] {
        guard leading != self.leading else { return [] }
        self.leading = leading
        let notice = broadcast(.leadership(leading: leading), roles: ["gc"])
        guard leading else { return notice }
        return notice + answerHeld()
    }

    /// Answers every command waiting for an executor `not-leading`, oldest first.
    private mutating func answerHeld() -> [Action] {
        let held = ledger.filter { $0.value.executor == nil }.sorted { $0.value.ticket < $1.value.ticket }
        var actions: [Action] = []
        for (id, entry) in held {
            ledger[id] = nil
            pendingCount -= 1
            if entry.lane != nil { releaseKey(entry.key) }
            if peers[entry.requester] != nil { actions.append(reject(id, to: entry.requester, "not-leading")) }
        }
        // The lanes' entries are dead now (no ledger entry); they are dropped as they are met.
        return actions + drainedIfEmpty()
    }

    /// The log level changed locally (SIGHUP): tell every worker.
    public func logLevelChanged(_ level: String) -> [Action] { broadcast(.logLevel(level)) }

    /// Disconnects workers that stopped heartbeating.
    public mutating func tick(now: Duration) -> [Action] {
        var actions: [Action] = []
        for (connection, peer) in peers.sorted(by: { $0.key < $1.key })
        where peer.hello.role != "ctl" && now - peer.lastSeen > limits.heartbeatTimeout {
            actions +=
                closing(connection, "no heartbeat for \(limits.heartbeatTimeout)") + [
                    .unresponsive(pid: peer.hello.pid)
                ]
        }
        return actions
    }

    private mutating func greet(_ message: IPCMessage, connection: ConnectionID, now: Duration) -> [Action] {
        guard case .hello(let hello) = message else { return closing(connection, "first message must be hello") }
        guard Self.knownRoles.contains(hello.role) else { return closing(connection, "unknown role \"\(hello.role)\"") }
        peers[connection] = Peer(hello: hello, lastSeen: now)
        var frame = IPCMessage.welcome(version: version).frame()
        if hello.role == "gc" { frame += IPCMessage.leadership(leading: leading).frame() }
        return [.send(connection, frame), .log(.peerJoined(connection, hello))]
    }

    private mutating func markReady(_ connection: ConnectionID) -> [Action] {
        peers[connection]?.ready = true
        guard peers[connection]?.hello.role == "executor" else { return [] }
        let waiting = unassigned.removeAll(isLive: isWaiting)
        return assign(waiting, atFront: false).union([connection]).sorted().flatMap { pump($0) }
    }

    private func merge(_ old: WorkerConditions, _ new: WorkerConditions) -> WorkerConditions {
        WorkerConditions(
            synced: new.synced ?? old.synced, apiReachable: new.apiReachable ?? old.apiReachable,
            missingPermissions: new.missingPermissions ?? old.missingPermissions)
    }

    func broadcast(_ message: IPCMessage, roles: Set<String> = ["watcher", "executor", "gc"]) -> [Action] {
        let frame = message.frame()
        return peers.keys.sorted().filter { roles.contains(peers[$0]!.hello.role) }.map { .send($0, frame) }
    }

    static let knownRoles: Set<String> = ["watcher", "executor", "gc", "ctl"]
}
