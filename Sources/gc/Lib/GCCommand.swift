import BrokerProtocol
import Models

/// The gc's writes are `Command`s, performed by the gc itself in the order given (see
/// `GCCommandPerformer` for why not through the broker).
///
/// Guarantees: every action is idempotent (`404 NotFound` or a UID mismatch on a delete means
/// the object is gone; events have deterministic names, so `409 AlreadyExists` means already
/// recorded; the status patch carries a resourceVersion precondition, a `409 Conflict` means
/// "decide again on the newer object"). The driver stops an object's list at the first write
/// whose state does not hold (`CommandAction.holds(after:)`), so the cleanup time is never
/// recorded for pods that were not deleted.
extension Command {
    /// Wraps the gc's actions for one object with deterministic ids.
    static func gcList(_ actions: [CommandAction], key: ObjectKey, owner: CommandOwner) -> [Command] {
        actions.map { action in
            let subject =
                switch action {
                case .deletePod(let p): "delete-pod/\(p.name)/\(p.uid ?? "")"
                case .patchOMJobStatus: "cleanup-time"
                case .deleteOMJob(let p): "delete-omjob/\(p.name)/\(p.uid)"
                case .recordEvent(let p): "event/\(p.event.metadata.name ?? "")"
                default: action.type
                }
            return Command(id: "\(owner.uid)/\(subject)", key: key, owner: owner, action: action)
        }
    }
}
