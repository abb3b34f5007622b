import KubeAPI
import KubeJSON
import Models

extension CommandPerformer {
    /// POSTs a scheduled run. A 409 is success only when the existing OMJob is this schedule's run
    /// for the same slot (`CreateOMJob.isSameRun`); another owner's object is never adopted.
    func createRun(_ create: CreateOMJob, namespace: String) async throws(KubeError) -> CommandOutcome {
        let name = create.omJob.metadata.name ?? ""
        do {
            _ = try await client.create(
                create.omJob, resource: OMJob.resourceType, namespace: namespace, name: name, answer: Unread.self)
            return .done
        } catch  where error.isAlreadyExists {
            let existing = try await client.get(OMJob.self, namespace: namespace, name: name)
            return create.isSameRun(as: existing)
                ? .alreadyExists
                : .invalid("OMJob \(name) already exists and belongs to another owner; it is not adopted")
        }
    }

    /// DELETEs a run under its UID; background propagation lets the API server's garbage
    /// collector remove what the run owns. Gone, or the name taken by a newer run: `notFound`.
    func deleteRun(_ delete: DeleteOMJob, namespace: String) async throws(KubeError) -> CommandOutcome {
        let options = DeleteOptions(
            propagationPolicy: .background, preconditions: DeleteOptions.Preconditions(uid: delete.uid))
        do {
            try await client.delete(
                resource: OMJob.resourceType, namespace: namespace, name: delete.name, options: options)
            return .done
        } catch  where error.isNotFound || error.isConflict {
            return .notFound
        }
    }

    /// Merge-patches a CronOMJob's status under the decision's resourceVersion.
    func patchCronStatus(_ patch: PatchCronOMJobStatus, key: ObjectKey) async throws(KubeError) {
        _ = try await client.patch(
            Unread.self, resource: CronOMJob.resourceType, namespace: key.namespace, name: key.name,
            patch: patch.mergePatchBody(), subresource: "status")
    }
}
