import Foundation
import Shared

/// Runs the exit handler after the main pod's ending is known: attempt 1, then retries with
/// exponential backoff up to the limit. The final phase follows the exit handler's exit code
/// (OpenMetadata relies on it); with no exit handler, it follows the main pod.
enum ExitHandlerStep {
    static func run(_ plan: inout RunPlan, _ context: RunContext, ending: MainPodTermination) {
        guard let exitSpec = context.spec.exitHandlerSpec else {
            finishWithoutExitHandler(&plan, ending: ending)
            return
        }
        retireCounted(&plan, pods: context.pods)
        let attempt = plan.status.exitHandlerAttempts ?? 0
        guard attempt > 0 else {
            start(&plan, context, exitSpec: exitSpec, ending: ending, attempt: 1)
            return
        }
        let pod = context.pods.exitByAttempt[attempt]
        switch ExitAttempt.read(
            pod, attempt: attempt, createFailure: plan.status.podCreateFailure, limits: context.limits, now: plan.now,
            stamp: plan.stamp)
        {
        case .missing:
            start(&plan, context, exitSpec: exitSpec, ending: ending, attempt: attempt)
        case .inProgress(let nextLook):
            plan.look(at: nextLook)
        case .succeeded:
            plan.status.exitHandlerExitCode = 0
            plan.status.exitHandlerReason = "Completed"
            plan.status.setCondition(
                OMJobStatus.ConditionType.exitHandlerSucceeded, true, reason: "Completed",
                message: "exit handler attempt \(attempt) exited 0", now: plan.stamp)
            let text = "exit handler completed; main pod: \(OMJobStatus.describe(ending))"
            plan.status.finish(.succeeded, reason: "ExitHandlerCompleted", message: text, now: plan.stamp)
            plan.event(.succeeded, message: text)
        case .failed(let reason, let exitCode, let failedAt):
            failed(
                &plan, context, exitSpec: exitSpec, ending: ending, attempt: attempt,
                reason: reason, exitCode: exitCode, failedAt: failedAt, overduePod: nil)
        case .overdue(let reason, let failedAt):
            failed(
                &plan, context, exitSpec: exitSpec, ending: ending, attempt: attempt,
                reason: reason, exitCode: nil, failedAt: failedAt, overduePod: pod)
        }
    }

    /// One attempt failed: retry after its backoff while attempts remain, else fail the run. An
    /// `overduePod` failed only by a deadline over the cache: what is written rests on a fresh read of it.
    private static func failed(
        _ plan: inout RunPlan, _ context: RunContext, exitSpec: OMJobPodSpec, ending: MainPodTermination,
        attempt: Int, reason: String, exitCode: Int?, failedAt: Date, overduePod: PodView?
    ) {
        let detail = exitCode.map { "\(reason) (exit code \($0))" } ?? reason
        if let overduePod { plan.requireUnchanged(overduePod) }
        guard attempt < 1 + context.limits.exitHandlerBackoffLimit else {
            plan.status.exitHandlerExitCode = exitCode
            plan.status.exitHandlerReason = reason
            let text =
                "exit handler failed \(attempt) time(s), last: \(detail); main pod: \(OMJobStatus.describe(ending))"
            plan.status.finish(.failed, reason: "ExitHandlerFailed", message: text, now: plan.stamp)
            plan.event(.exitHandlerFailed, message: text)
            return
        }
        let retryAt = failedAt.addingTimeInterval(context.limits.retryDelay(afterAttempt: attempt))
        guard plan.now >= retryAt else {
            plan.look(at: retryAt)
            return
        }
        plan.status.exitHandlerExitCode = exitCode
        plan.status.exitHandlerReason = reason
        plan.status.exitHandlerLastFailureTime = KubeTime.format(failedAt)
        plan.event(
            .exitHandlerRetry,
            message: "exit handler attempt \(attempt) failed: \(detail); starting attempt \(attempt + 1)",
            instance: String(attempt))
        start(&plan, context, exitSpec: exitSpec, ending: ending, attempt: attempt + 1)
    }

    /// Creates exit-handler pod `attempt` and records it. During a kill the pod gets no
    /// ownerReference (see `PodBuilder.exitPod`).
    private static func start(
        _ plan: inout RunPlan, _ context: RunContext, exitSpec: OMJobPodSpec,
        ending: MainPodTermination, attempt: Int
    ) {
        let pod = PodBuilder.exitPod(
            omJob: plan.omJob, spec: context.spec, exitSpec: exitSpec, mainPodName: context.mainPodName,
            ending: ending, attempt: attempt, owned: !plan.omJob.metadata.isBeingDeleted)
        plan.createPod(pod, type: .exitHandler, attempt: attempt)
        plan.status.startExitAttempt(attempt, podName: pod.metadata.name ?? "")
    }

    /// Deletes the pods of attempts the OBSERVED status already counts as over (a later attempt was
    /// recorded, or the run finished) that never ended on their own: stuck before starting, or hung.
    /// Never from this decision's own status: if a pod went before the write that counts it (a crash
    /// or a conflict between the two), the next decision would find its attempt "missing" and create
    /// it again, forever. Ended pods stay, with their logs.
    static func retireCounted(_ plan: inout RunPlan, pods: RunPods) {
        let observed = plan.observedStatus
        let attempts = observed.exitHandlerAttempts ?? 0
        let lastOver = observed.phase?.isFinished == true ? attempts : attempts - 1
        for (attempt, pod) in pods.exitByAttempt.sorted(by: { $0.key < $1.key }) where attempt <= lastOver {
            guard !pod.metadata.isBeingDeleted, MainPodEnding.endedOnItsOwn(pod, now: plan.stamp) == nil else {
                continue
            }
            // As seen only: the cache may hold a pod that has since run and succeeded.
            plan.deletePodAsSeen(pod)
        }
    }

    /// No exit handler: the main pod's ending decides.
    static func finishWithoutExitHandler(_ plan: inout RunPlan, ending: MainPodTermination) {
        let text = "main pod ended: \(OMJobStatus.describe(ending)); no exit handler"
        if ending.isSuccess {
            plan.status.finish(.succeeded, reason: "MainPodCompleted", message: text, now: plan.stamp)
            plan.event(.succeeded, message: text)
        } else {
            plan.status.finish(
                .failed, reason: OMJobStatus.conditionReason(ending.reason), message: text, now: plan.stamp)
            plan.event(.failed, message: text)
        }
    }
}
