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
/// due time then insertion, keyed so a timer can be replaced or cancelled. A binary heap with
/// lazy removal: thousands of automatic-mode pods each hold a timer, so popping must not scan.
struct TimerQueue {
    struct Entry {
        var due: Date
        var sequence: Int
        var action: () -> Void
    }

    private struct Slot {
        var due: Date
        var sequence: Int
        var key: String
        func before(_ other: Slot) -> Bool { (due, sequence) < (other.due, other.sequence) }
    }

    private var entries: [String: Entry] = [:]
    private var heap: [Slot] = []
    private var sequence = 0

    /// Adds (or replaces) the timer `key`.
    mutating func schedule(_ key: String, at due: Date, _ action: @escaping () -> Void) {
        sequence += 1
        entries[key] = Entry(due: due, sequence: sequence, action: action)
        push(Slot(due: due, sequence: sequence, key: key))
    }

    mutating func cancel(_ key: String) { entries[key] = nil }

    /// Cancels every timer whose key starts with `prefix` (all timers of one pod).
    mutating func cancel(prefix: String) {
        for key in entries.keys where key.hasPrefix(prefix) { entries[key] = nil }
    }

    /// Removes and returns the earliest timer due at or before `now`.
    mutating func popDue(_ now: Date) -> Entry? {
        while let top = heap.first {
            guard let entry = entries[top.key], entry.sequence == top.sequence else {
                popTop()
                continue
            }
            guard top.due <= now else { return nil }
            popTop()
            entries[top.key] = nil
            return entry
        }
        return nil
    }

    /// The earliest due time, if any timer is pending.
    var nextDue: Date? {
        mutating get {
            while let top = heap.first, entries[top.key]?.sequence != top.sequence { popTop() }
            return heap.first?.due
        }
    }

    var isEmpty: Bool { entries.isEmpty }

    private mutating func push(_ slot: Slot) {
        heap.append(slot)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].before(heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func popTop() {
        heap.swapAt(0, heap.count - 1)
        heap.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < heap.count, heap[left].before(heap[smallest]) { smallest = left }
            if right < heap.count, heap[right].before(heap[smallest]) { smallest = right }
            guard smallest != parent else { return }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
