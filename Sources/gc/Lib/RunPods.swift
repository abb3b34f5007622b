import Models

/// The pods of one OMJob, found as the operator always finds them: by owner UID (or the uid
/// label the operator sets on pods it makes without an owner), never by `managed-by`, which
/// OpenMetadata sets to its own value (the Java operator's "TTL cleanup fails" bug).
struct RunPods {
    let all: [PodView]

    init(pods: [PodView], omJobUID: String) {
        all = pods.filter { pod in
            let labels = pod.metadata.labels ?? [:]
            guard labels[OperatorLabels.podType] != nil else { return false }
            let owned = pod.metadata.ownerReferences?.contains { $0.uid == omJobUID && $0.controller == true } ?? false
            return owned || labels[OperatorLabels.omJobUID] == omJobUID
        }
    }

    /// Exit-handler pods that have not ended: the run is not over for the gc, whatever its phase says.
    var runningExitHandlers: [PodView] {
        all.filter { pod in
            pod.metadata.labels?[OperatorLabels.podType] == PodType.exitHandler.rawValue
                && !pod.metadata.isBeingDeleted
                && !["Succeeded", "Failed"].contains(pod.status?.phase ?? "")
        }
    }

    /// Pods still to delete (a pod already being deleted needs no second request).
    var undeleted: [PodView] { all.filter { !$0.metadata.isBeingDeleted } }
}
