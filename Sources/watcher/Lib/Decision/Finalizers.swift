import Foundation
import Shared

/// The operator's finalizer on an OMJob, as a visible table (after kube-rs `finalizer.rs`):
///
/// | our finalizer | being deleted | run finished | state                                           |
/// |---------------|---------------|--------------|-------------------------------------------------|
/// | no            | no            | no           | `guardFirst`: add it before anything runs       |
/// | yes           | no            | no           | `run`: drive the run                            |
/// | yes           | yes           | no           | `kill`: stop the main pod, run the exit handler |
/// | yes           | yes, past the kill deadline | no | `killDeadlinePassed`: release anyway       |
/// | any           | any           | yes          | `release`: nothing left to guard                |
/// | no            | yes           | no           | `notOurs`: cannot hold it; release the pods     |
///
/// The main pod's finalizer follows the run: added at creation, released once the run is finished
/// (its ending recorded and the exit handler done), so the main pod and its logs exist while the
/// exit handler runs. Nothing is held past a deadline, so namespace deletion always completes.
enum Finalizers {
    /// One row of the table above.
    enum State: Equatable {
        /// Not guarded yet: add the finalizer before creating anything.
        case guardFirst
        /// Guarded and alive: drive the run.
        case run
        /// Guarded and deleted: stop the main pod, run the exit handler, then release.
        case kill
        /// Deleted longer ago than the kill deadline: release whatever the run's state.
        case killDeadlinePassed
        /// The run is finished: release the main pod and the OMJob.
        case release
        /// Deleted without our finalizer: nothing can be held; release the pods.
        case notOurs
    }

    static func state(of omJob: OMJob, finished: Bool, limits: RunLimits, now: Date) -> State {
        let ours = omJob.metadata.finalizers?.contains(OperatorLabels.finalizer) == true
        let deleting = omJob.metadata.isBeingDeleted
        if finished { return .release }
        switch (ours, deleting) {
        case (false, false): return .guardFirst
        case (true, false): return .run
        case (false, true): return .notOurs
        case (true, true):
            if let deadline = killDeadline(of: omJob, limits: limits), now >= deadline { return .killDeadlinePassed }
            return .kill
        }
    }

    /// When a kill stops waiting for the exit handler; nil unless the OMJob is being deleted.
    static func killDeadline(of omJob: OMJob, limits: RunLimits) -> Date? {
        omJob.metadata.deletionTimestamp.flatMap(KubeTime.parse)?.addingTimeInterval(limits.killDeadline)
    }

    /// Lets go of everything the run holds: the main pod's finalizer, exit pods made without an owner
    /// during a kill (nothing else would delete them), a stuck last exit attempt, and the OMJob's finalizer.
    static func release(_ plan: inout RunPlan, pods: RunPods, state: State, limits: RunLimits) {
        var stopping = false
        if let recorded = plan.status.mainPodTermination {
            MainPodStep.deleteIfNeverStarted(&plan, pods.main, recorded: recorded)
            MainPodStep.stopIfMayStillRun(&plan, pods.main, recorded: recorded)
            // Kept until its deletion is asked: a released pod on a returning node would run on.
            stopping =
                recorded.containerMayStillRun == true
                && pods.main.map {
                    !$0.metadata.isBeingDeleted
                        && MainPodEnding.endedOnItsOwn($0, now: plan.stamp) == nil
                } == true
        }
        if let main = pods.main, main.metadata.finalizers?.contains(OperatorLabels.finalizer) == true, !stopping {
            plan.removePodFinalizer(main)
        }
        if plan.omJob.metadata.isBeingDeleted {
            for pod in pods.exitByAttempt.values.sorted(by: { ($0.metadata.name ?? "") < ($1.metadata.name ?? "") })
            where pod.metadata.ownerReferences == nil && !pod.metadata.isBeingDeleted {
                plan.deletePod(pod)
            }
        } else if state == .release {
            // The last attempt may have been counted while stuck; nothing else would stop it pulling.
            ExitHandlerStep.retireCounted(&plan, pods: pods)
        }
        if state == .killDeadlinePassed {
            plan.event(
                .killDeadlineExceeded,
                message:
                    "the run did not finish within \(Int(limits.killDeadline))s of the OMJob's deletion; releasing it")
        }
        if plan.omJob.metadata.finalizers?.contains(OperatorLabels.finalizer) == true {
            plan.removeOMJobFinalizer()
        }
    }
}
