import KubeJSON

/// One message of the broker protocol (DESIGN.md §2), after the frame and the envelope.
///
/// Every message travels as `{"v":1,"type":"…", …}`. Commands are opaque to the broker: it reads
/// only their `id` and routing `key`; their `payload` belongs to the watcher and the executor.
public enum IPCMessage: Equatable, Sendable {
    /// First message of every connection: who is speaking (a worker role, or `ctl` for a human).
    case hello(Hello)
    /// The broker's answer to `hello`.
    case welcome(version: String)
    /// The worker is ready for work (s6's readiness notification, separate from "spawned").
    case ready
    /// A worker's view of conditions the supervisor reports on `/ready`.
    case conditions(WorkerConditions)
    /// Liveness: workers send one every heartbeat interval.
    case heartbeat
    /// Work for an executor, routed by key.
    case command(CommandEnvelope)
    /// The one answer to a command, routed back to its requester.
    case result(ResultEnvelope)
    /// A worker's cumulative counters and current gauges.
    case metrics(MetricsReport)
    /// Change the log level (ctl → broker → every worker).
    case logLevel(String)
    /// Drain and exit (broker → worker).
    case shutdown
    /// Whether this replica leads (broker → gc, after `welcome` and on each change): a standby
    /// writes nothing.
    case leadership(leading: Bool)
    /// A human's question on the control connection.
    case ctl(CtlRequest)
    /// The broker's answer to a ``CtlRequest``.
    case ctlReply(JSONValue)
    /// The broker explains why it is about to close the connection.
    case error(String)
}

/// The `hello` body.
public struct Hello: Equatable, Sendable {
    /// `watcher`, `executor`, `gc`, or `ctl`.
    public var role: String
    /// The sender's process id, for logs and for matching a connection to a child.
    public var pid: Int32
    /// Which child of its role this is (executors are 0..<N); nil for singletons and ctl.
    public var instance: Int?

    public init(role: String, pid: Int32, instance: Int? = nil) {
        self.role = role
        self.pid = pid
        self.instance = instance
    }
}

/// Conditions a worker reports; nil means "not reported by this worker".
public struct WorkerConditions: Equatable, Sendable {
    /// The watcher finished its initial lists.
    public var synced: Bool?
    /// The last request to the API server got an HTTP answer.
    public var apiReachable: Bool?
    /// Every permission the worker found missing (an empty list once all are granted).
    public var missingPermissions: [Permission]?

    public init(synced: Bool? = nil, apiReachable: Bool? = nil, missingPermissions: [Permission]? = nil) {
        self.synced = synced
        self.apiReachable = apiReachable
        self.missingPermissions = missingPermissions
    }
}

/// A command: an id unique among the requester's in-flight commands, a routing key, an opaque payload.
public struct CommandEnvelope: Equatable, Sendable {
    public var id: String
    public var key: ObjectKey
    public var payload: JSONValue

    public init(id: String, key: ObjectKey, payload: JSONValue) {
        self.id = id
        self.key = key
        self.payload = payload
    }
}

/// A result: the command's id and the executor's outcome, or a broker error (`busy`, `shutting-down`).
public struct ResultEnvelope: Equatable, Sendable {
    public var id: String
    public var payload: JSONValue
    /// Set only by the broker when it could not have the command performed.
    public var error: String?

    public init(id: String, payload: JSONValue = .null, error: String? = nil) {
        self.id = id
        self.payload = payload
        self.error = error
    }
}

/// A worker's metrics: counters are totals since the worker started (the broker keeps
/// totals across restarts), gauges are current values.
public struct MetricsReport: Equatable, Sendable {
    public var counters: [MetricSample]
    public var gauges: [MetricSample]

    public init(counters: [MetricSample] = [], gauges: [MetricSample] = []) {
        self.counters = counters
        self.gauges = gauges
    }
}

/// One named, labelled value.
public struct MetricSample: Equatable, Hashable, Sendable {
    public var name: String
    public var labels: [String: String]
    public var value: Double

    public init(name: String, labels: [String: String] = [:], value: Double) {
        self.name = name
        self.labels = labels
        self.value = value
    }
}

/// What a `ctl` connection may ask.
public enum CtlRequest: String, CaseIterable, Equatable, Sendable {
    /// The process tree: children, pids, restarts, readiness.
    case status
    /// The broker's in-flight ledger.
    case inflight
    /// The Prometheus text of `/metrics`.
    case metrics
}
