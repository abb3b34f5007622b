import Foundation
import NIOConcurrencyHelpers

/// Where the simulated cluster (and the store's timestamps) read the time: the wall clock, or
/// a manual clock that only moves when a test says so, so that grace periods, tolerations,
/// deadlines and run times need no sleeps.
public enum ClusterClock: Sendable {
    /// Real time; cluster timers fire on their own.
    case system
    /// Test time; cluster timers fire only in `SimCluster.advance(by:)`.
    case manual(ManualClock)
    /// Real time read through a function the test controls (the operator's test clock, so the
    /// cluster and the operator under test agree on time); timers fire on their own, as `.system`.
    case external(@Sendable () -> Date)

    /// True when time moves only in `SimCluster.advance(by:)`.
    public var isManual: Bool {
        if case .manual = self { true } else { false }
    }

    /// The current time of this clock.
    public func now() -> Date {
        switch self {
        case .system: Date()
        case .manual(let clock): clock.now()
        case .external(let now): now()
        }
    }
}

/// A clock that stands still until `advance` (through `SimCluster.advance(by:)`).
public final class ManualClock: Sendable {
    private let current: NIOLockedValueBox<Date>

    /// Starts at `start` (a fixed instant by default, so test output is stable).
    public init(start: Date = Date(timeIntervalSince1970: 1_767_225_600)) {
        current = NIOLockedValueBox(start)
    }

    /// The current test time.
    public func now() -> Date { current.withLockedValue { $0 } }

    func set(_ date: Date) { current.withLockedValue { $0 = max($0, date) } }
}

/// The cluster's pending timers (grace periods, tolerations, deadlines, run ends), ordered by
/// due time then insertion, keyed so a timer can be replaced or cancelled.
struct TimerQueue {
    struct Entry {
        var due: Date
        var sequence: Int
        var action: () -> Void
    }

    private var entries: [String: Entry] = [:]
    private var sequence = 0

    /// Adds (or replaces) the timer `key`.
    mutating func schedule(_ key: String, at due: Date, _ action: @escaping () -> Void) {
        sequence += 1
        entries[key] = Entry(due: due, sequence: sequence, action: action)
    }

    mutating func cancel(_ key: String) { entries[key] = nil }

    /// Cancels every timer whose key starts with `prefix` (all timers of one pod).
    mutating func cancel(prefix: String) { entries = entries.filter { !$0.key.hasPrefix(prefix) } }

    /// Removes and returns the earliest timer due at or before `now`.
    mutating func popDue(_ now: Date) -> Entry? {
        guard let (key, entry) = entries.filter({ $0.value.due <= now })
            .min(by: { ($0.value.due, $0.value.sequence) < ($1.value.due, $1.value.sequence) }) else { return nil }
        entries[key] = nil
        return entry
    }

    /// The earliest due time, if any timer is pending.
    var nextDue: Date? { entries.values.map(\.due).min() }

    var isEmpty: Bool { entries.isEmpty }
}
