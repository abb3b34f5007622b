import Shared

extension CommandPerformer {
    /// Applies an ending that rests on a deadline only if the pod (and the lost node, if any) still
    /// stands as the decision saw it; see `ConfirmPodUnchanged`. `conflict` when it does not.
    func confirmUnchanged(_ confirm: ConfirmPodUnchanged, key: ObjectKey) async throws(KubeError) -> CommandOutcome {
        guard try await podIsUnchanged(confirm, namespace: key.namespace) else { return .conflict }
        if let node = confirm.notReadyNode, try await nodeIsReady(node) { return .conflict }
        try await patchStatus(confirm.thenPatch, key: key)
        for record in confirm.thenEvents {
            _ = try await recordEvent(record.event, namespace: key.namespace)
        }
        return .done
    }

    private func podIsUnchanged(_ confirm: ConfirmPodUnchanged, namespace: String) async throws(KubeError) -> Bool {
        do {
            let pod = try await client.get(Pod.self, namespace: namespace, name: confirm.podName)
            return (confirm.podUID == nil || pod.metadata.uid == confirm.podUID)
                && pod.metadata.resourceVersion == confirm.resourceVersion
        } catch  where error.isNotFound {
            // Gone: not the pod the deadline was about; its disappearance is decided on its own.
            return false
        }
    }

    /// As the watcher reads it: Ready unless its Ready condition says otherwise; a node that is
    /// gone counts as not Ready (its pods are lost with it).
    private func nodeIsReady(_ name: String) async throws(KubeError) -> Bool {
        do {
            let node = try await client.get(Node.self, namespace: nil, name: name)
            return (node.readyCondition?.status ?? "True") == "True"
        } catch  where error.isNotFound {
            return false
        }
    }
}
