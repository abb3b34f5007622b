/// Every metadata key the operator's logs use, in one place (controller-runtime's logging guide).
public enum LogKeys {
    public static let omjobNamespace = "omjob.namespace"
    public static let omjobName = "omjob.name"
    public static let commandID = "command.id"
    public static let commandType = "command.type"
    public static let outcome = "command.outcome"
    public static let namespace = "namespace"
    public static let child = "child"
    public static let childPID = "child.pid"
    public static let exitReason = "exit.reason"
    public static let connection = "connection"
    public static let peerRole = "peer.role"
    public static let reason = "reason"
    public static let delayMS = "delay.ms"
    public static let logLevel = "log.level"
    /// A permission: the verb (several, comma-separated, when one line names every missing verb
    /// on a resource: `list,watch,get`), the resource (`pods`,
    /// `omjobs.pipelines.openmetadata.org/status`), where (a namespace, or `*` for cluster-wide),
    /// and what the operator does without it.
    public static let verb = "permission.verb"
    public static let resource = "permission.resource"
    public static let scope = "permission.scope"
    public static let consequence = "permission.consequence"
    /// An informer, as `resource@namespace` (`*`: every namespace).
    public static let informer = "informer"
    /// Whether the watcher watches nodes (it needs the right to list them).
    public static let nodesWatched = "nodes.watched"
    /// The supervisor's own exit code, logged as it exits.
    public static let exitCode = "exit.code"
    /// Restarts counted against RESTART_INTENSITY, and the window they were counted in.
    public static let restarts = "restarts"
    public static let periodSeconds = "period.seconds"
    /// Commands in flight, e.g. those re-dispatched when an executor goes.
    public static let commands = "commands"
    /// The broker's Unix socket, and the TCP port of /health, /ready, /metrics and /info.
    public static let socket = "socket"
    public static let healthPort = "health.port"
    /// A signal a process received.
    public static let signal = "signal"
    /// The Lease replicas elect on (`namespace/name`), this replica's identity in it, and its holder.
    public static let lease = "lease"
    public static let identity = "identity"
    public static let holder = "holder"
    /// Object counts in a cache once its initial lists are done.
    public static let omJobCount = "omjobs"
    public static let podCount = "pods"
    /// `OMJOB_SHARD_SELECTOR`, when the operator runs one shard of the OMJobs.
    public static let shardSelector = "shard.selector"
}
