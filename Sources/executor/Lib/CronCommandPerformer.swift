import Foundation
import KubeJSON
import Shared

/// Performs one `CronCommand` (a CronOMJob's write) and says how it went.
///
/// Guarantees (see each payload in Shared/Commands/CronCommandPayloads.swift): a run's name is
/// deterministic per slot, so `409 AlreadyExists` on create is success only when the existing
/// OMJob is controlled by the same CronOMJob (`isSameRun`), and an `invalid` outcome otherwise
/// (never adopted); deletes carry a UID precondition (`404` and a UID mismatch mean done);
/// status writes carry the decision's resourceVersion (`409` → `conflict`, decided again).
/// Errors: transient failures are retried inside the client; the rest go through `OutcomeClassifier`.
public struct CronCommandPerformer: Sendable {
    public let client: KubeClient

    public init(client: KubeClient) { self.client = client }

    /// The CronCommand in a command payload, or nil when the payload is a run's `Command`
    /// (cron commands are the ones carrying `cronUID`).
    public static func command(in payload: JSONValue) throws -> CronCommand? {
        guard payload["cronUID"] != nil else { return nil }
        return try payload.decoded(as: CronCommand.self)
    }

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
        case .deleteOMJob(let run):
            let options = DeleteOptions(propagationPolicy: .background, preconditions: DeleteOptions.Preconditions(uid: run.uid))
            do {
                try await client.delete(resource: OMJob.resourceType, namespace: namespace, name: run.name, options: options)
                return .done
            } catch where error.isNotFound || error.isConflict {
                return .notFound  // gone, or the name now belongs to a newer OMJob: ours is gone
            }
        case .patchCronOMJobStatus(let patch):
            let body: JSONValue
            do { body = try patch.mergePatchBody() } catch { throw .decoding("cron status patch: \(error)") }
            _ = try await client.patch(JSONValue.self, resource: CronOMJob.resourceType, namespace: namespace, name: command.key.name,
                                       patch: body, subresource: "status")
            return .done
        case .recordEvent(let record):
            do {
                _ = try await client.create(record.event, resource: Event.resourceType, namespace: record.event.metadata.namespace ?? namespace,
                                            name: record.event.metadata.name)
                return .done
            } catch where error.isAlreadyExists {
                return .alreadyExists  // deterministic name: recorded before
            }
        }
    }

    private func createRun(_ create: CreateOMJob, namespace: String) async throws(KubeError) -> CommandOutcome {
        let name = create.omJob.metadata.name ?? ""
        do {
            _ = try await client.create(create.omJob, resource: OMJob.resourceType, namespace: create.omJob.metadata.namespace ?? namespace, name: name)
            return .done
        } catch where error.isAlreadyExists {
            let existing = try await client.get(OMJob.self, namespace: create.omJob.metadata.namespace ?? namespace, name: name)
            guard create.isSameRun(as: existing) else {
                return .invalid("OMJob \(name) exists and is not a run of this CronOMJob; it is never adopted")
            }
            return .alreadyExists
        }
    }
}
