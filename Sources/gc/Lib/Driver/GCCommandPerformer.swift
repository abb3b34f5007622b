import BrokerProtocol
import KubeAPI
import Models

/// Performs the gc's writes with the Kubernetes client, one object's list in order.
///
/// Why the gc writes directly instead of through the broker and the executors: the broker's
/// routing exists to keep one run's writes ordered with the watcher's (same key, same
/// executor). The gc's writes never race a run's: it acts only on runs that are over (Succeeded
/// or Failed, exit handler ended) or on CronOMJob history, each write is idempotent on its own
/// (UID preconditions, deterministic event names, a resourceVersion precondition on the status),
/// and its one ordering rule ("record the cleanup only after the pods are gone") is within its
/// own list. Routing them would add a hop and a ledger entry per delete and buy nothing.
///
/// Each write is the operator's one `CommandPerformer`'s, so the gc's answers are classified as
/// the executor's are. Errors: transient failures are retried inside `KubeClient` (its
/// `RetryPolicy`); what is left is `failed` or `invalid`, and the driver stops that object's list there.
struct GCCommandPerformer: Sendable {
    let performer: CommandPerformer

    init(client: KubeClient) { performer = CommandPerformer(client: client) }

    /// Performs several objects' lists, at most `parallel` objects at a time.
    func perform(lists: [[Command]], parallel: Int) async -> [[(Command, CommandOutcome)]] {
        var results: [[(Command, CommandOutcome)]] = []
        for start in stride(from: 0, to: lists.count, by: max(1, parallel)) {
            let batch = lists[start..<min(start + max(1, parallel), lists.count)]
            await withTaskGroup(of: [(Command, CommandOutcome)].self) { group in
                for list in batch { group.addTask { await perform(list) } }
                for await result in group { results.append(result) }
            }
        }
        return results
    }

    /// Performs `commands` (one object's, in order) until the first whose state does not hold.
    /// Returns each performed command with its outcome.
    func perform(_ commands: [Command]) async -> [(Command, CommandOutcome)] {
        var results: [(Command, CommandOutcome)] = []
        for command in commands {
            let outcome = await performer.perform(command)
            results.append((command, outcome))
            guard command.action.holds(after: outcome) else { break }
        }
        return results
    }
}
