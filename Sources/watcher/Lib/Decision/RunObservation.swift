import Foundation
import Shared

/// Everything the decision reads about one run: the OMJob and what the watcher's caches hold.
public struct RunObservation: Sendable {
    public var omJob: OMJob
    /// Pods in the OMJob's namespace whose `omjob.pipelines.openmetadata.org/name` label equals
    /// `PodNaming.labelValue(<omjob name>)`; the decision keeps only those that really belong to it
    /// (see `RunPods`), so passing a few extra is harmless.
    public var pods: [PodView]
    /// Readiness of the main pod's node; nil when unknown (not watched, or not yet seen).
    public var mainPodNode: NodeReadiness?

    public init(omJob: OMJob, pods: [PodView], mainPodNode: NodeReadiness? = nil) {
        self.omJob = omJob
        self.pods = pods
        self.mainPodNode = mainPodNode
    }
}

extension RunObservation {
    /// The node the run's main pod is scheduled on, if any: the node whose readiness to pass as
    /// `mainPodNode` (the watcher only needs to watch nodes that run main pods).
    public static func mainPodNodeName(omJob: OMJob, pods: [PodView]) -> String? {
        guard let uid = omJob.metadata.uid else { return nil }
        let name = omJob.status?.mainPodName ?? PodNaming.mainPodName(omJob: omJob.metadata.name ?? "")
        return RunPods(pods: pods, omJobUID: uid, mainPodName: name).main?.spec?.nodeName
    }
}

/// Whether a node still runs its pods, from its Ready condition.
public enum NodeReadiness: Hashable, Sendable {
    /// Ready=True, or no Ready condition reported.
    case ready
    /// Ready is False or Unknown (the node controller lost the kubelet) since `since`.
    case notReady(since: Date, status: String, name: String)

    /// Reads a node's Ready condition; a node without one counts as Ready (nothing says otherwise).
    public init(node: Node) {
        guard let ready = node.readyCondition, ready.status != "True" else {
            self = .ready
            return
        }
        let since = ready.lastTransitionTime.flatMap(KubeTime.parse) ?? .distantPast
        self = .notReady(since: since, status: ready.status, name: node.metadata.name ?? "")
    }
}

/// The pods of one run, found by name label + pod-type + owner UID (never by `managed-by`, which
/// OpenMetadata also sets): a pod with our name label but another owner is not ours.
struct RunPods {
    var main: PodView?
    /// Exit-handler pods by attempt number.
    var exitByAttempt: [Int: PodView]

    init(pods: [PodView], omJobUID: String, mainPodName: String) {
        main = nil
        exitByAttempt = [:]
        for pod in pods where Self.belongs(pod, to: omJobUID) {
            switch pod.metadata.labels?[OperatorLabels.podType] {
            case PodType.main.rawValue where pod.metadata.name == mainPodName:
                main = pod
            case PodType.exitHandler.rawValue:
                let attempt = pod.metadata.labels?[OperatorLabels.attempt].flatMap { Int($0) } ?? 1
                exitByAttempt[attempt] = pod
            default:
                continue
            }
        }
    }

    /// Owned by the controller reference, or, for a pod made without one during a kill, by the UID label.
    static func belongs(_ pod: PodView, to uid: String) -> Bool {
        if let controller = pod.metadata.ownerReferences?.first(where: { $0.controller == true }) {
            return controller.uid == uid
        }
        return pod.metadata.labels?[OperatorLabels.omJobUID] == uid
    }
}
