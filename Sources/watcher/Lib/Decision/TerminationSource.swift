import Shared

/// Which rule classified a pod's ending; recorded in `status.mainPodTermination.source`
/// (the values are declared in the CRD's enum).
enum TerminationSource: String {
    /// The pod reached phase Succeeded.
    case podPhase = "PodPhase"
    /// A `DisruptionTarget` condition said why Kubernetes ended the pod.
    case disruptionTarget = "DisruptionTarget"
    /// `status.reason` of a failed pod (Evicted, DeadlineExceeded, Shutdown, NodeLost, …).
    case podReason = "PodReason"
    /// The container's terminated state (exit code, signal, runtime reason).
    case containerTerminated = "ContainerTerminated"
    /// The pod was deleted and the kubelet never reported how the container ended.
    case deletion = "Deletion"
    /// The pod's node stayed not Ready past the threshold.
    case nodeLost = "NodeLost"
    /// The pod vanished without a record (confirmed by a fresh read).
    case disappeared = "Disappeared"
    /// The pod never started within its deadline.
    case neverStarted = "NeverStarted"
    /// The operator stopped the pod at the OMJob's activeDeadlineSeconds.
    case activeDeadline = "ActiveDeadline"
    /// The API server refused to create the pod.
    case createFailed = "CreateFailed"
    /// The OMJob was deleted while running.
    case killed = "Killed"

    /// Concluded from time passing over the cached pod, not from an end the pod reported: a cache
    /// that lags could make it wrong, so it is written only after a fresh read (`ConfirmPodUnchanged`).
    var restsOnDeadline: Bool {
        switch self {
        case .deletion, .nodeLost, .neverStarted: true
        default: false
        }
    }
}

extension MainPodTermination {
    /// A termination recorded by the decision at `now`.
    init(
        _ source: TerminationSource, reason: String, message: String?, terminated: ContainerStateTerminated? = nil,
        containerMayStillRun: Bool? = nil, now: String
    ) {
        self.init(
            reason: reason, message: message, exitCode: terminated?.exitCode,
            signal: terminated.flatMap(Self.signal(of:)), source: source.rawValue,
            containerMayStillRun: containerMayStillRun, startedAt: terminated?.startedAt,
            finishedAt: terminated?.finishedAt, recordedAt: now)
    }

    /// The signal that ended a container: the runtime's own field when set, else read from an exit
    /// code of 128+n (the shell convention runtimes follow: 137 = SIGKILL, 143 = SIGTERM).
    static func signal(of terminated: ContainerStateTerminated) -> Int? {
        if let signal = terminated.signal, signal > 0 { return signal }
        let code = terminated.exitCode
        return (129...159).contains(code) ? code - 128 : nil
    }
}
