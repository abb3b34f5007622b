import KubeJSON
import Shared

/// Performs a CronOMJob's `CronCommand` (create or delete a run, its status, its events).
///
/// Guarantees (see Shared/Commands/CronCommandPayloads.swift): idempotent; a run with our name
/// and another owner is an `invalid` outcome, never adopted; status writes carry the decision's
/// resourceVersion. Errors are classified by `OutcomeClassifier`.
public struct CronCommandPerformer: Sendable {
    public let client: KubeClient

    public init(client: KubeClient) { self.client = client }

    public func perform(_ command: CronCommand) async -> CommandOutcome {
        do {
            return try await run(command)
        } catch {
            return OutcomeClassifier.outcome(for: error)
        }
    }

    private func run(_ command: CronCommand) async throws(KubeError) -> CommandOutcome {
        let namespace = command.key.namespace
        switch command.action {
        case .createOMJob(let create):
            return try await createRun(create, namespace: namespace)
        case .deleteOMJob(let delete):
            let options = DeleteOptions(
                propagationPolicy: .background, preconditions: DeleteOptions.Preconditions(uid: delete.uid))
            do {
                try await client.delete(
                    resource: OMJob.resourceType, namespace: namespace, name: delete.name, options: options)
                return .done
            } catch  where error.isNotFound || error.isConflict {
                return .notFound
            }
        case .patchCronOMJobStatus(let patch):
            let body: JSONValue
            do { body = try patch.mergePatchBody() } catch { throw .decoding("cron status patch: \(error)") }
            _ = try await client.patch(
                Unread.self, resource: CronOMJob.resourceType, namespace: namespace, name: command.key.name,
                patch: body, subresource: "status")
            return .done
        case .recordEvent(let record):
            do {
                _ = try await client.create(
                    record.event, resource: Event.resourceType, namespace: namespace, name: record.event.metadata.name)
                return .done
            } catch  where error.isAlreadyExists {
                return .alreadyExists
            }
        }
    }

    private func createRun(_ create: CreateOMJob, namespace: String) async throws(KubeError) -> CommandOutcome {
        let name = create.omJob.metadata.name ?? ""
        do {
            _ = try await client.create(create.omJob, resource: OMJob.resourceType, namespace: namespace, name: name)
            return .done
        } catch  where error.isAlreadyExists {
            let existing = try await client.get(OMJob.self, namespace: namespace, name: name)
            return create.isSameRun(as: existing)
                ? .alreadyExists
                : .invalid("OMJob \(name) already exists and belongs to another owner; it is not adopted")
        }
    }
}
