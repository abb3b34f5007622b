import Shared

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
/// Errors: transient failures are retried inside `KubeClient` (its `RetryPolicy`); what is
/// left is reported as `.failed` and the driver stops that object's list there.
struct GCCommandPerformer: Sendable {
    let client: KubeClient

    /// Performs several objects' lists, at most `parallel` objects at a time.
    func perform(lists: [[GCCommand]], parallel: Int) async -> [[(GCCommand, GCWriteOutcome)]] {
        var results: [[(GCCommand, GCWriteOutcome)]] = []
        for start in stride(from: 0, to: lists.count, by: max(1, parallel)) {
            let batch = lists[start..<min(start + max(1, parallel), lists.count)]
            await withTaskGroup(of: [(GCCommand, GCWriteOutcome)].self) { group in
                for list in batch { group.addTask { await perform(list) } }
                for await result in group { results.append(result) }
            }
        }
        return results
    }

    /// Performs `commands` (one object's, in order) until the first that does not allow the next.
    /// Returns each performed command with its outcome.
    func perform(_ commands: [GCCommand]) async -> [(GCCommand, GCWriteOutcome)] {
        var results: [(GCCommand, GCWriteOutcome)] = []
        for command in commands {
            let outcome = await perform(command)
            results.append((command, outcome))
            guard outcome.allowsNext else { break }
        }
        return results
    }

    /// One write.
    func perform(_ command: GCCommand) async -> GCWriteOutcome {
        let namespace = command.key.namespace
        do throws(KubeError) {
            switch command.action {
            case .deletePod(let pod):
                try await client.delete(
                    resource: Pod.resourceType, namespace: namespace, name: pod.name,
                    options: Self.deleteOptions(uid: pod.uid, grace: pod.gracePeriodSeconds))
            case .deleteOMJob(let run):
                try await client.delete(
                    resource: OMJob.resourceType, namespace: namespace, name: run.name,
                    options: Self.deleteOptions(uid: run.uid, grace: nil))
            case .recordEvent(let record):
                _ = try await client.create(record.event)
            case .recordCleanup(let patch):
                try await client.patchOMJobStatus(patch, namespace: namespace, name: command.key.name)
            }
            return .done
        } catch {
            return Self.outcome(of: error, for: command.action)
        }
    }

    /// The one place that says which API answers mean "already so", "decide again", or "failed".
    static func outcome(of error: KubeError, for action: GCAction) -> GCWriteOutcome {
        switch action {
        case .deletePod, .deleteOMJob:
            // Gone, or the name now belongs to a newer object (UID precondition): what we meant to delete is gone.
            if error.isNotFound || error.isConflict { return .alreadyDone }
        case .recordEvent:
            if error.isAlreadyExists { return .alreadyDone }
        case .recordCleanup:
            if error.isConflict || error.isNotFound { return .stale }
        }
        return .failed(error.description)
    }

    /// Background propagation: the API server's garbage collector removes what the object owns.
    private static func deleteOptions(uid: String?, grace: Int?) -> DeleteOptions {
        DeleteOptions(
            gracePeriodSeconds: grace.map(Int64.init), propagationPolicy: .background,
            preconditions: uid.map { DeleteOptions.Preconditions(uid: $0) })
    }
}
