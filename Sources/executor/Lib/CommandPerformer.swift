import Foundation
import KubeJSON
import Shared

/// Performs one run's `Command` against the API server and says how it went.
///
/// Guarantees (see each payload's note in Shared/Commands): every action is idempotent, so a
/// command re-dispatched after an executor crash may run twice; `409 AlreadyExists` on our own
/// object is success, on an object with our name and another owner an `invalid` outcome (never
/// adopted); status writes carry the decision's resourceVersion. Errors: transient failures are
/// retried inside the client, within its deadline; what is left is classified by `OutcomeClassifier`.
public struct CommandPerformer: Sendable {
    public let client: KubeClient
    /// The time written into `podCreateFailure.time` (injected for tests).
    public var now: @Sendable () -> Date = { Date() }

    public init(client: KubeClient) { self.client = client }

    public func perform(_ command: Command) async -> CommandOutcome {
        do {
            return try await run(command)
        } catch {
            return OutcomeClassifier.outcome(for: error)
        }
    }

    private func run(_ command: Command) async throws(KubeError) -> CommandOutcome {
        let namespace = command.key.namespace
        switch command.action {
        case .createPod(let create):
            return try await createPod(create, command: command)
        case .patchOMJobStatus(let patch):
            try await patchStatus(patch, key: command.key)
            return .done
        case .addFinalizer(let change):
            return try await FinalizerEditor(client: client).apply(change, adding: true, command: command)
        case .removeFinalizer(let change):
            return try await FinalizerEditor(client: client).apply(change, adding: false, command: command)
        case .stopPod(let target), .deletePod(let target):
            return try await deletePod(target, namespace: namespace)
        case .recordEvent(let record):
            return try await recordEvent(record.event, namespace: namespace)
        case .confirmPodAbsent(let confirm):
            return try await confirmAbsent(confirm, key: command.key)
        case .confirmPodUnchanged(let confirm):
            return try await confirmUnchanged(confirm, key: command.key)
        }
    }

    func patchStatus(_ patch: PatchOMJobStatus, key: ObjectKey) async throws(KubeError) {
        try await client.patchOMJobStatus(patch, namespace: key.namespace, name: key.name)
    }

    private func deletePod(_ target: DeletePod, namespace: String) async throws(KubeError) -> CommandOutcome {
        let preconditions =
            target.uid == nil && target.resourceVersion == nil
            ? nil : DeleteOptions.Preconditions(uid: target.uid, resourceVersion: target.resourceVersion)
        let options = DeleteOptions(
            gracePeriodSeconds: target.gracePeriodSeconds.map(Int64.init), preconditions: preconditions)
        do {
            try await client.delete(
                resource: Pod.resourceType, namespace: namespace, name: target.name, options: options)
            return .done
        } catch  where error.isNotFound {
            return .notFound
        } catch  where error.isConflict {
            // A newer pod has the name (UID precondition: ours is gone), or ours changed since the
            // decision saw it (resourceVersion precondition: the watch brings the change).
            return target.resourceVersion == nil ? .notFound : .conflict
        }
    }

    func recordEvent(_ event: Event, namespace: String) async throws(KubeError) -> CommandOutcome {
        do {
            try await client.create(
                event, resource: Event.resourceType, namespace: event.metadata.namespace ?? namespace,
                name: event.metadata.name, answer: Unread.self)
            return .done
        } catch  where error.isAlreadyExists {
            // Event names are deterministic: this one was recorded before.
            return .alreadyExists
        }
    }

    private func confirmAbsent(_ confirm: ConfirmPodAbsent, key: ObjectKey) async throws(KubeError) -> CommandOutcome {
        do {
            let pod = try await client.get(Pod.self, namespace: key.namespace, name: confirm.podName)
            if confirm.podUID == nil || pod.metadata.uid == confirm.podUID {
                // Still there: the watch cache lagged; the watcher decides again when it catches up.
                return .done
            }
        } catch  where error.isNotFound {}
        try await patchStatus(confirm.thenPatch, key: key)
        return .done
    }
}
