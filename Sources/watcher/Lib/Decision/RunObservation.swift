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
        mainPod(omJob: omJob, pods: pods)?.spec?.nodeName
    }

    /// The readiness to pass as `mainPodNode`: the node's own, from `nodes` (the watcher's cache),
    /// or, where the node is not seen (no permission to watch nodes, or not cached yet), what the
    /// main pod reports of it.
    public static func mainPodNode(omJob: OMJob, pods: [PodView], nodes: (String) -> Node?) -> NodeReadiness? {
        guard let pod = mainPod(omJob: omJob, pods: pods), let name = pod.spec?.nodeName else { return nil }
        if let node = nodes(name) { return NodeReadiness(node: node) }
        return NodeReadiness.reported(by: pod)
    }

    private static func mainPod(omJob: OMJob, pods: [PodView]) -> PodView? {
        guard let uid = omJob.metadata.uid else { return nil }
        let name = omJob.status?.mainPodName ?? PodNaming.mainPodName(omJob: omJob.metadata.name ?? "")
        return RunPods(pods: pods, omJobUID: uid, mainPodName: name).main
    }
}

/// Whether a node still runs its pods, from its Ready condition.
public enum NodeReadiness: Hashable, Sendable {
    /// Ready=True, or no Ready condition reported.
    case ready
    /// Ready is False or Unknown (the node controller lost the kubelet) since `since`.
    case notReady(since: Date, status: String, name: String)
    /// The node is not seen (nodes not watched, or not cached), but the pod shows what the node
    /// controller does to the pods of a node that stopped reporting: Ready False while the
    /// kubelet's own ContainersReady stays True (the kubelet always moves both together).
    case unreachable(since: Date, name: String)

    /// Reads a node's Ready condition; a node without one counts as Ready (nothing says otherwise).
    public init(node: Node) {
        guard let ready = node.readyCondition, ready.status != "True" else {
            self = .ready
            return
        }
        let since = ready.lastTransitionTime.flatMap(KubeTime.parse) ?? .distantPast
        self = .notReady(since: since, status: ready.status, name: node.metadata.name ?? "")
    }

    /// What `pod` alone says of its node: `.unreachable` when the node controller marked it not
    /// Ready behind the kubelet's back, nil when it says nothing.
    public static func reported(by pod: PodView) -> NodeReadiness? {
        guard let node = pod.spec?.nodeName, !node.isEmpty,
            pod.status?.phase == "Running" || pod.status?.phase == "Pending",
            let ready = pod.condition("Ready"), ready.status != "True",
            pod.condition("ContainersReady")?.status == "True"
        else { return nil }
        return .unreachable(since: ready.lastTransitionTime.flatMap(KubeTime.parse) ?? .distantPast, name: node)
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
