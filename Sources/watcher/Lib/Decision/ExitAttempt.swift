import Foundation
import Shared

/// How one exit-handler attempt stands, read from its pod (or from the recorded create failure).
enum ExitAttempt: Equatable {
    /// Exited 0.
    case succeeded
    /// The pod failed (or could not be created); `failedAt` is stable across decisions, so the
    /// retry time is too.
    case failed(reason: String, exitCode: Int?, failedAt: Date)
    /// Past a deadline without an end the pod reported (never started, deleted without a report,
    /// hung): a failure only if a fresh read finds the pod as the cache holds it. Such a pod is
    /// deleted only once the status counts the attempt as over (`ExitHandlerStep.retireCounted`).
    case overdue(reason: String, failedAt: Date)
    /// Not in the cache: just created (the cache lags) or deleted; creating it again is idempotent.
    case missing
    /// Still going; look again at `nextLook`, if set.
    case inProgress(nextLook: Date?)

    static func read(
        _ pod: PodView?, attempt: Int, createFailure: PodCreateFailure?, limits: RunLimits, now: Date, stamp: String
    ) -> ExitAttempt {
        // Rejected by the API server: retrying the same body later may still work (quota frees up).
        if let failure = createFailure, failure.podType == .exitHandler, failure.attempt == attempt {
            return .failed(
                reason: "CreateFailed", exitCode: nil,
                failedAt: failure.time.flatMap(KubeTime.parse) ?? now)
        }
        guard let pod else { return .missing }
        if let ending = MainPodEnding.endedOnItsOwn(pod, now: stamp) {
            if ending.isSuccess { return .succeeded }
            let failedAt = ending.finishedAt.flatMap(KubeTime.parse) ?? settledAt(pod, fallback: now)
            return .failed(reason: ending.reason, exitCode: ending.exitCode, failedAt: failedAt)
        }
        var deadlines: [Date] = []
        // Deleted by someone before it reported an end: count it as a failed attempt after the grace.
        if let deletion = pod.metadata.deletionTimestamp.flatMap(KubeTime.parse) {
            let deadline = deletion.addingTimeInterval(limits.deletionReportSlack)
            if now >= deadline { return .overdue(reason: "PodDeleted", failedAt: deadline) }
            deadlines.append(deadline)
        }
        switch MainPodEnding.progress(of: pod) {
        case .notStarted(let reason):
            let created = pod.metadata.creationTimestamp.flatMap(KubeTime.parse) ?? now
            let deadline = created.addingTimeInterval(limits.exitHandlerStartDeadline)
            if now >= deadline { return .overdue(reason: "NeverStarted/\(reason)", failedAt: deadline) }
            deadlines.append(deadline)
        case .running(let started):
            // A hung exit handler must not hold the run (or a kill) forever.
            guard let started else { break }
            let deadline = started.addingTimeInterval(limits.exitHandlerActiveDeadline)
            if now >= deadline { return .overdue(reason: "DeadlineExceeded", failedAt: deadline) }
            deadlines.append(deadline)
        }
        return .inProgress(nextLook: deadlines.min())
    }

    /// A stable time for a failure that reports no finish time.
    private static func settledAt(_ pod: PodView, fallback: Date) -> Date {
        let times = (pod.status?.conditions ?? []).compactMap { $0.lastTransitionTime.flatMap(KubeTime.parse) }
        return times.max() ?? pod.metadata.creationTimestamp.flatMap(KubeTime.parse) ?? fallback
    }
}
