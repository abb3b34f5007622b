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
    /// A permission: the verb, the resource (`pods`, `omjobs.pipelines.openmetadata.org/status`),
    /// where (a namespace, or `*` for cluster-wide), and what the operator does without it.
    public static let verb = "permission.verb"
    public static let resource = "permission.resource"
    public static let scope = "permission.scope"
    public static let consequence = "permission.consequence"
    /// An informer, as `resource@namespace` (`*`: every namespace).
    public static let informer = "informer"
    /// Whether the watcher watches nodes (it needs the right to list them).
    public static let nodesWatched = "nodes.watched"
    /// `OMJOB_SHARD_SELECTOR`, when the operator runs one shard of the OMJobs.
    public static let shardSelector = "shard.selector"
}
