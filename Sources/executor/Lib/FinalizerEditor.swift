import KubeJSON
import Shared

/// Adds or removes one finalizer as a set operation: write the change under the version the
/// watcher saw when the command carries it; otherwise, or on a conflict, read fresh, change the
/// list only if needed, write it under that read's resourceVersion, and on a conflict read again.
///
/// Guarantees: never touches an object with another UID (a newer object reusing the name);
/// 404 means done (nothing left to guard). Bounded: gives up as `conflict` after `maxConflicts`.
struct FinalizerEditor {
    let client: KubeClient
    /// Each conflict means someone else wrote meanwhile; a handful in a row is contention, not progress.
    let maxConflicts = 5

    func apply(_ change: FinalizerChange, adding: Bool, command: Command) async throws(KubeError) -> CommandOutcome {
        let (resource, name, uid) = target(change.target, command: command)
        if let observed = change.observed,
            let outcome = try await writeObserved(
                observed, change: change, adding: adding, resource: resource, name: name, command: command)
        {
            return outcome
        }
        for _ in 0..<maxConflicts {
            let object: JSONValue
            do {
                object = try await client.get(
                    JSONValue.self, resource: resource, namespace: command.key.namespace, name: name)
            } catch  where error.isNotFound {
                return .notFound
            }
            guard uid == nil || object["metadata"]?["uid"]?.stringValue == uid else { return .notFound }
            let current = object["metadata"]?["finalizers"]?.arrayValue?.compactMap(\.stringValue) ?? []
            let wanted =
                adding
                ? (current.contains(change.finalizer) ? current : current + [change.finalizer])
                : current.filter { $0 != change.finalizer }
            if wanted == current { return .done }
            let patch: JSONValue = [
                "metadata": [
                    "resourceVersion": object["metadata"]?["resourceVersion"] ?? .null,
                    "finalizers": .array(wanted.map(JSONValue.string)),
                ]
            ]
            do {
                _ = try await client.patch(
                    Unread.self, resource: resource, namespace: command.key.namespace, name: name, patch: patch)
                return .done
            } catch  where error.isConflict {
                continue
            } catch  where error.isNotFound {
                return .notFound
            }
        }
        return .conflict
    }

    /// The write without a read, under the version the watcher saw (the same version is the same
    /// object, so the UID needs no check). nil: the version is stale, read fresh and try again.
    private func writeObserved(
        _ observed: ObservedFinalizers, change: FinalizerChange, adding: Bool, resource: ResourceType,
        name: String, command: Command
    ) async throws(KubeError) -> CommandOutcome? {
        let wanted =
            adding
            ? (observed.finalizers.contains(change.finalizer)
                ? observed.finalizers : observed.finalizers + [change.finalizer])
            : observed.finalizers.filter { $0 != change.finalizer }
        guard wanted != observed.finalizers else { return nil }
        let patch: JSONValue = [
            "metadata": [
                "resourceVersion": .string(observed.resourceVersion),
                "finalizers": .array(wanted.map(JSONValue.string)),
            ]
        ]
        do {
            _ = try await client.patch(
                Unread.self, resource: resource, namespace: command.key.namespace, name: name, patch: patch)
            return .done
        } catch  where error.isConflict {
            return nil
        } catch  where error.isNotFound {
            return .notFound
        }
    }

    private func target(_ target: CommandTarget, command: Command) -> (ResourceType, String, String?) {
        switch target {
        case .omJob: (OMJob.resourceType, command.key.name, command.omJobUID)
        case .pod(let name, let uid): (Pod.resourceType, name, uid)
        }
    }
}
