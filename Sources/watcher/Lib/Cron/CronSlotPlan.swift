/// Which slot, if any, is due now, following Kubernetes CronJob's rules:
///
/// - slots are counted from `lastScheduleTime` (or the creation time): after downtime only the
///   most recent missed slot runs, never a burst of catch-up runs;
/// - with `startingDeadlineSeconds`, a slot later than that by more is not run; the most recent
///   such slot is reported so it can be recorded;
/// - more missed slots than the threshold are reported (Kubernetes' "too many missed start times").
struct CronSlotPlan: Hashable, Sendable {
    /// The slot to run now: the latest one in the window, nil when none.
    var due: Int64?
    /// When nothing is due: the latest slot skipped for being missed by more than the deadline.
    var missedPastDeadline: Int64?
    /// More slots in the window than the warning threshold.
    var tooManyMissed: Bool
    /// The first slot after now: when to look again.
    var next: Int64?

    init(schedule: CronSchedule, earliest: Int64, startingDeadlineSeconds: Int?, now: Int64, threshold: Int) {
        // A slot exactly `startingDeadlineSeconds` late still runs: only "more" is too late.
        let deadlineFloor = startingDeadlineSeconds.map { now - Int64($0) - 1 }
        let windowStart = max(earliest, deadlineFloor ?? earliest)
        let window = schedule.slots(after: windowStart, through: now, cap: threshold)
        due = window.mostRecent
        tooManyMissed = window.exceededCap
        if due == nil, let deadlineFloor, deadlineFloor > earliest {
            missedPastDeadline = schedule.slots(after: earliest, through: deadlineFloor, cap: threshold).mostRecent
        }
        next = schedule.next(after: now)
    }
}
