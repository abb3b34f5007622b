import BrokerProtocol
import Foundation
import Models

/// Drives the main pod: create it, follow it, stop it when the run is killed or out of time, and
/// record how it ended. Returns the recorded (or just found) ending, once there is one.
enum MainPodStep {
    static func run(_ plan: inout RunPlan, _ context: RunContext) -> MainPodTermination? {
        if let recorded = plan.status.mainPodTermination {
            deleteIfNeverStarted(&plan, context.pods.main, recorded: recorded)
            stopIfMayStillRun(&plan, context.pods.main, recorded: recorded)
            noteLateReport(&plan, context.pods.main, recorded: recorded)
            return recorded
        }
        guard let pod = context.pods.main else { return absent(&plan, context) }
        let owned = pod.metadata.finalizers?.contains(OperatorLabels.finalizer) == true
        if !owned && !pod.metadata.isBeingDeleted { plan.addPodFinalizer(pod) }

        switch MainPodEnding.read(pod, node: context.node, limits: context.limits, now: plan.now, stamp: plan.stamp) {
        case .ended(let observed):
            let ending = StopCause.relabel(observed, omJob: plan.omJob, pod: pod, limits: context.limits)
            plan.status.mainPodName = pod.metadata.name
            record(&plan, ending)
            if TerminationSource(rawValue: observed.source)?.restsOnDeadline == true {
                // Only time says it ended, and the cache may lag: the record waits for a fresh read,
                // and the exit handler (and any deletion) for the record.
                // A node seen not Ready is read again too; a loss the pod itself shows rests on the pod.
                var lostNode: String?
                if observed.source == TerminationSource.nodeLost.rawValue, case .notReady = context.node {
                    lostNode = pod.spec?.nodeName
                }
                plan.requireUnchanged(pod, notReadyNode: lostNode)
            }
            return ending
        case .inProgress(let progress, let nextLook):
            plan.status.observeMainPod(
                name: pod.metadata.name ?? context.mainPodName, progress: progress, now: plan.stamp)
            plan.look(at: nextLook)
            plan.look(at: StopCause.activeDeadline(progress: progress, limits: context.limits))
            if StopCause.current(omJob: plan.omJob, progress: progress, limits: context.limits, now: plan.now) != nil,
                !pod.metadata.isBeingDeleted
            {
                plan.stopPod(pod)
            }
            return nil
        }
    }

    /// No main pod in the cache. Either it was never created (create it, idempotently), it could not
    /// be created (record CreateFailed), the run was killed first, or it vanished (confirm first).
    private static func absent(_ plan: inout RunPlan, _ context: RunContext) -> MainPodTermination? {
        if plan.omJob.metadata.isBeingDeleted {
            let ending = MainPodTermination(
                .killed, reason: "Killed", message: "OMJob deleted before its main pod was created", now: plan.stamp)
            record(&plan, ending)
            return ending
        }
        if let failure = plan.status.podCreateFailure, failure.podType == .main {
            let ending = MainPodTermination(
                .createFailed, reason: "CreateFailed",
                message:
                    "main pod \(failure.podName) could not be created: \(failure.reason ?? "rejected") \(failure.message ?? "")",
                now: plan.stamp)
            record(&plan, ending)
            return ending
        }
        if let seen = plan.status.mainPodName {
            // Seen before, gone now: the watch cache may lag, so only a fresh read may conclude PodLost.
            var probe = plan
            let ending = MainPodTermination(
                .disappeared, reason: "PodLost",
                message: "main pod \(seen) disappeared without a recorded ending", now: plan.stamp)
            record(&probe, ending)
            if context.spec.exitHandlerSpec == nil { ExitHandlerStep.finishWithoutExitHandler(&probe, ending: ending) }
            plan.confirmAbsent = ConfirmPodAbsent(
                podName: seen, podUID: nil, thenPatch: plan.statusPatch(withGeneration(probe.status, plan)))
            return nil
        }
        guard let mainSpec = context.spec.mainPodSpec else { return nil }
        plan.createPod(PodBuilder.mainPod(omJob: plan.omJob, spec: mainSpec), type: .main, attempt: 1)
        return nil
    }

    /// A pod recorded as never started is deleted: it would otherwise keep retrying its pull or its
    /// scheduling. The finalizer keeps the object until the run is finished (`Finalizers.release`
    /// calls this too: a run without an exit handler is finished by the decision that records it).
    static func deleteIfNeverStarted(_ plan: inout RunPlan, _ pod: PodView?, recorded: MainPodTermination) {
        guard recorded.source == TerminationSource.neverStarted.rawValue, let pod, !pod.metadata.isBeingDeleted,
            MainPodEnding.endedOnItsOwn(pod, now: plan.stamp) == nil
        else { return }
        plan.deletePod(pod)
    }

    /// A run recorded while its container may still run (its node lost) has told OpenMetadata that
    /// it ended: the main pod is deleted (its own grace period) so that a node that returns stops
    /// the container instead of running the ingestion beside a rerun. Asked once the record is
    /// confirmed, with the exit handler's start, and written into the record as `stopRequestedAt`;
    /// the finalizer is released only after it (`Finalizers.release`). A pod already being deleted
    /// (by whoever, or by this stop when the status write that followed it was lost) is not asked
    /// again: its deletion's request time, read from the pod, is written. A node that never
    /// returns leaves the pod to Kubernetes' garbage collection of pods on deleted nodes.
    static func stopIfMayStillRun(_ plan: inout RunPlan, _ pod: PodView?, recorded: MainPodTermination) {
        guard recorded.containerMayStillRun == true, let pod else { return }
        let requestedAt: String
        if pod.metadata.isBeingDeleted {
            requestedAt = deletionRequested(pod) ?? plan.stamp
        } else {
            guard MainPodEnding.endedOnItsOwn(pod, now: plan.stamp) == nil else { return }
            plan.stopPod(pod)
            requestedAt = plan.stamp
        }
        if plan.status.mainPodTermination?.stopRequestedAt == nil {
            plan.status.mainPodTermination?.stopRequestedAt = requestedAt
        }
    }

    /// When a pod's deletion was asked: its deletionTimestamp less the grace period it was given.
    static func deletionRequested(_ pod: PodView) -> String? {
        guard let deletion = pod.metadata.deletionTimestamp.flatMap(KubeTime.parse) else { return nil }
        let grace = TimeInterval(pod.metadata.deletionGracePeriodSeconds ?? 0)
        return KubeTime.format(deletion.addingTimeInterval(-grace))
    }

    /// The main pod reports its own end after the run recorded it as possibly still running: the
    /// record stays (the exit handler has been told), the report becomes an event.
    private static func noteLateReport(_ plan: inout RunPlan, _ pod: PodView?, recorded: MainPodTermination) {
        guard recorded.containerMayStillRun == true, let pod,
            let late = MainPodEnding.endedOnItsOwn(pod, now: plan.stamp)
        else { return }
        plan.event(
            .mainPodReportedLate,
            message:
                "main pod reported \(OMJobStatus.describe(late)) after the run recorded \(recorded.reason); the recorded ending stays"
        )
    }

    /// Writes the ending into the status (and warns when the main pod did not complete).
    static func record(_ plan: inout RunPlan, _ ending: MainPodTermination) {
        plan.status.recordMainEnding(ending, now: plan.stamp)
        if !ending.isSuccess {
            plan.event(
                .mainPodFailed,
                message: "main pod ended: \(OMJobStatus.describe(ending))" + (ending.message.map { ": \($0)" } ?? ""))
        }
    }

    private static func withGeneration(_ status: OMJobStatus, _ plan: RunPlan) -> OMJobStatus {
        var status = status
        status.observedGeneration = plan.omJob.metadata.generation ?? status.observedGeneration
        return status
    }
}
