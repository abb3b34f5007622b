import KubeAPI
import KubeJSON
import Models

extension CommandPerformer {
    /// POSTs the pod. A 409 is success only when the existing pod is this run's; a rejection that
    /// retrying cannot fix is recorded (`RunRecord`) so the decision ends the run.
    func createPod(_ create: CreatePod, command: Command) async throws(KubeError) -> CommandOutcome {
        let key = command.key
        let name = create.pod.name ?? ""
        do {
            switch create.pod {
            case .model(let pod):
                try await client.create(
                    pod, resource: Pod.resourceType, namespace: key.namespace, name: name, answer: Unread.self)
            case .text(let text, _):
                // As the frame carried it: the watcher wrote it from the model.
                try await client.create(
                    text, resource: Pod.resourceType, namespace: key.namespace, name: name, answer: Unread.self)
            }
            return .done
        } catch  where error.isAlreadyExists {
            let existing = try await client.get(Pod.self, namespace: key.namespace, name: name)
            guard Self.belongs(existing, to: command.owner.uid) else {
                let message = "pod \(name) already exists and belongs to another owner; it is not adopted"
                try await recordRejection(create, key: key, reason: "AlreadyExists", code: 409, message: message)
                return .invalid(message)
            }
            return .alreadyExists
        } catch  where OutcomeClassifier.isRejection(error) {
            try await recordRejection(
                create, key: key, reason: error.reason, code: error.code,
                message: error.status?.message ?? error.description)
            return .invalid(error.description)
        }
    }

    /// Ours: the controller reference names the OMJob's UID, or (pods made during a kill, without
    /// an owner) the UID label does.
    static func belongs(_ pod: Pod, to uid: String) -> Bool {
        if let controller = pod.metadata.ownerReferences?.first(where: { $0.controller == true }) {
            return controller.uid == uid
        }
        return pod.metadata.labels?[OperatorLabels.omJobUID] == uid
    }

    private func recordRejection(_ create: CreatePod, key: ObjectKey, reason: String?, code: Int?, message: String)
        async throws(KubeError)
    {
        let failure = PodCreateFailure(
            podType: create.podType, podName: create.pod.name ?? "", attempt: create.attempt,
            reason: reason, code: code, message: message, time: KubeTime.format(now()))
        let body: JSONValue
        do { body = try failure.mergePatchBody() } catch { throw .decoding("podCreateFailure: \(error)") }
        // The annotation is what the decision reads (a CRD may prune the status field).
        _ = try await client.patch(
            Unread.self, resource: OMJob.resourceType, namespace: key.namespace, name: key.name,
            patch: failure.recordPatchBody())
        _ = try await client.patch(
            Unread.self, resource: OMJob.resourceType, namespace: key.namespace, name: key.name,
            patch: body, subresource: "status")
    }
}
