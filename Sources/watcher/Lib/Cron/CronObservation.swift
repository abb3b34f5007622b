import BrokerProtocol
import Foundation
import Models

/// Everything the CronOMJob decision looks at: the schedule, the runs it owns, and the time.
///
/// `newRunID` is the UUID a run created by this decision gets as `app.kubernetes.io/run-id`;
/// the caller generates it so the decision stays pure (same input, same output).
public struct CronObservation: Sendable {
    /// The CronOMJob as the informer last saw it.
    public var cron: CronOMJob
    /// OMJobs in its namespace; those not controlled by it (by UID) are ignored.
    public var runs: [OMJob]
    /// The instant the decision is made for.
    public var now: Date
    /// Run id for a run this decision may create.
    public var newRunID: String

    public init(cron: CronOMJob, runs: [OMJob], now: Date, newRunID: String) {
        self.cron = cron
        self.runs = runs
        self.now = now
        self.newRunID = newRunID
    }
}

/// Operator-wide knobs of the scheduler.
public struct CronSettings: Hashable, Sendable {
    /// More missed slots than this since the last run earns a Warning (Kubernetes uses 100).
    public var missedSlotsWarningThreshold: Int

    public init(missedSlotsWarningThreshold: Int = 100) {
        self.missedSlotsWarningThreshold = missedSlotsWarningThreshold
    }
}

/// What the scheduler wants done, and when to decide again if nothing changes before.
public struct CronDecision: Hashable, Sendable {
    /// Writes, in the order they must happen (create before the status that records it).
    public var commands: [Command]
    /// The next slot; nil when none is expected (suspended, invalid, or never again).
    public var wakeAt: Date?

    public init(commands: [Command] = [], wakeAt: Date? = nil) {
        self.commands = commands
        self.wakeAt = wakeAt
    }
}
