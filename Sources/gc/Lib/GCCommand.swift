import BrokerProtocol
import Models

/// One API write the gc's decisions ask its driver to perform, in the order given.
///
/// Guarantees: every action is idempotent (`404 NotFound` or a UID mismatch on a delete is
/// success; events have deterministic names, so `409 AlreadyExists` means already recorded;
/// the status patch carries a resourceVersion precondition, a `409 Conflict` means "decide
/// again on the newer object"). The driver stops a decision's list at its first failure, so
/// the cleanup time is never recorded for pods that were not deleted.
public struct GCCommand: Hashable, Sendable {
    /// Deterministic identity (same decision, same id): the driver drops duplicates in flight.
    public var id: String
    /// The OMJob or CronOMJob the command is about.
    public var key: ObjectKey
    public var action: GCAction

    public init(id: String, key: ObjectKey, action: GCAction) {
        self.id = id
        self.key = key
        self.action = action
    }
}

/// What the gc writes.
public enum GCAction: Hashable, Sendable {
    /// Delete one pod of a finished run (UID precondition), in the key's namespace.
    case deletePod(DeletePod)
    /// Record `status.cleanupTime` on the OMJob named by the key (merge patch of that member only).
    case recordCleanup(PatchOMJobStatus)
    /// Delete an OMJob in the key's namespace: after its TTL (if enabled) or past a history limit.
    case deleteOMJob(DeleteOMJob)
    /// Create an Event (deterministic name).
    case recordEvent(RecordEvent)
}
