import Foundation

/// The CronOMJob decision: a pure function from (CronOMJob, its runs, now) to commands and the
/// time to look again. The watcher calls it on every change of the CronOMJob or one of its
/// runs, and when `wakeAt` comes.
///
/// Guarantees:
/// - Idempotent: a slot's run has a deterministic name, and the run is created BEFORE the status
///   recording it, so a crash between the two leaves a run the next decision finds by name,
///   never a lost slot or a second run.
/// - No clock and no randomness inside: `now` and the new run id come in the observation.
/// - `concurrencyPolicy: Forbid` behaves as Kubernetes CronJob does: a slot that comes while a
///   run is active waits (status message, one Normal event); if the run ends while the slot is
///   still the latest and within `startingDeadlineSeconds`, it then runs, late; otherwise it is
///   recorded as missed. Set `startingDeadlineSeconds` to bound how late a run may start.
/// Assumptions: the caller passes every OMJob of the namespace it has cached that could be
/// owned by this CronOMJob; ownership is checked here by controller UID.
public enum CronScheduler {
    /// Decides what to do for one CronOMJob.
    public static func decide(_ observation: CronObservation, settings: CronSettings = CronSettings()) -> CronDecision {
        let cron = observation.cron
        guard let uid = cron.metadata.uid, let spec = cron.spec, !cron.metadata.isBeingDeleted else {
            // Being deleted: nothing more is scheduled; its runs finish on their own (`CronOwnership`).
            return CronDecision()
        }
        var step = CronStep(cron: cron, uid: uid, now: observation.now)
        let history = CronRunHistory(runs: observation.runs, cron: cron)
        step.recordHistory(history)

        let schedule: CronSchedule
        do {
            schedule = try CronSchedule(schedule: spec.schedule, timeZone: spec.timeZone)
        } catch {
            step.reportInvalid(error)
            return step.finish(wakeAt: nil)
        }
        if spec.suspend == true {
            step.status.message = "Suspended: no new runs are created."
            return step.finish(wakeAt: nil)
        }
        let plan = CronSlotPlan(
            schedule: schedule, earliest: step.earliest, startingDeadlineSeconds: spec.startingDeadline,
            now: step.nowSeconds, threshold: settings.missedSlotsWarningThreshold)
        step.apply(plan, spec: spec, history: history, runID: observation.newRunID)
        return step.finish(wakeAt: plan.next.map { Date(timeIntervalSince1970: TimeInterval($0)) })
    }
}
