import Foundation
import Shared

/// Why the operator itself stops a main pod that is still going.
enum StopCause: Equatable {
    /// The OMJob was deleted while running (OpenMetadata's "kill").
    case killed
    /// The OMJob's `activeDeadlineSeconds` passed.
    case activeDeadline

    /// The cause that applies now, if any: a kill first, then the active deadline.
    static func current(omJob: OMJob, progress: MainPodProgress, limits: RunLimits, now: Date) -> StopCause? {
        if omJob.metadata.isBeingDeleted { return .killed }
        if let deadline = activeDeadline(progress: progress, limits: limits), now >= deadline { return .activeDeadline }
        return nil
    }

    /// When the active deadline passes for a running pod; nil when there is none.
    static func activeDeadline(progress: MainPodProgress, limits: RunLimits) -> Date? {
        guard let limit = limits.activeDeadline, case .running(let started?) = progress else { return nil }
        return started.addingTimeInterval(limit)
    }

    /// The ending to record for a pod the operator stopped: the stop's reason replaces what the
    /// kubelet reports about the stop itself (SIGTERM, PodDeleted), keeping its evidence. A pod
    /// that completed, or failed on its own before the kill, keeps its own ending.
    static func relabel(_ ending: MainPodTermination, omJob: OMJob, pod: PodView, limits: RunLimits)
        -> MainPodTermination
    {
        guard !ending.isSuccess else { return ending }
        var relabelled = ending
        if let killedAt = omJob.metadata.deletionTimestamp.flatMap(KubeTime.parse),
            ending.finishedAt.flatMap(KubeTime.parse).map { $0 >= killedAt } ?? true
        {
            relabelled.reason = "Killed"
            relabelled.source = TerminationSource.killed.rawValue
            relabelled.message = "OMJob deleted while running; main pod stopped (\(OMJobStatus.describe(ending)))"
            return relabelled
        }
        let started = pod.status?.startTime.flatMap(KubeTime.parse)
        guard pod.metadata.isBeingDeleted, let limit = limits.activeDeadline, let started,
            let deletion = pod.metadata.deletionTimestamp.flatMap(KubeTime.parse),
            deletion >= started.addingTimeInterval(limit)
        else { return ending }
        relabelled.reason = "DeadlineExceeded"
        relabelled.source = TerminationSource.activeDeadline.rawValue
        relabelled.message =
            "main pod ran longer than activeDeadlineSeconds=\(Int(limit)); stopped (\(OMJobStatus.describe(ending)))"
        return relabelled
    }
}
