import Foundation
import HeapModule

/// When each key should be looked at again with no event (a decision's `nextLook`, or a retry
/// after backoff): the earliest time per key. One driver timer is armed for `earliest`; when it
/// fires, `takeDue(now:)` hands over every key whose time has come.
///
/// `earliest` is asked after every drain of the work queue, which with 1,000 runs in flight
/// happens thousands of times a second, and a scan of every key's time made each drain cost
/// O(keys) however few keys it decided. So the times also sit in a min-heap, whose
/// entries a later time makes stale: they are skipped when they surface, and the heap is
/// rebuilt from `due` when stale entries outnumber live ones.
public struct DueKeys<Key: Hashable> {
    private var due: [Key: Date] = [:]
    private var heap = Heap<Entry>()

    private struct Entry: Comparable {
        var date: Date
        var key: Key
        static func < (a: Entry, b: Entry) -> Bool { a.date < b.date }
        static func == (a: Entry, b: Entry) -> Bool { a.date == b.date && a.key == b.key }
    }

    public init() {}

    /// Looks at `key` no later than `date` (an earlier time already set wins).
    public mutating func schedule(_ key: Key, at date: Date) {
        if let current = due[key], current <= date { return }
        set(key, date)
    }

    /// Replaces the key's time with `date`, or clears it (nil): a fresh decision knows best.
    public mutating func reset(_ key: Key, to date: Date?) {
        guard due[key] != date else { return }
        if let date { set(key, date) } else { due[key] = nil }
    }

    /// The earliest time of all keys.
    public var earliest: Date? {
        mutating get {
            dropStale()
            return heap.min?.date
        }
    }

    /// Removes and returns the keys due at `now`.
    public mutating func takeDue(now: Date) -> [Key] {
        var ready: [Key] = []
        while let top = heap.min, top.date <= now {
            heap.removeMin()
            if due[top.key] == top.date {
                due[top.key] = nil
                ready.append(top.key)
            }
        }
        return ready
    }

    public var count: Int { due.count }

    private mutating func set(_ key: Key, _ date: Date) {
        due[key] = date
        heap.insert(Entry(date: date, key: key))
        if heap.count > 2 * due.count + 1024 {
            heap = Heap(due.map { Entry(date: $0.value, key: $0.key) })
        }
    }

    /// Pops entries whose key has since been given another time, or none.
    private mutating func dropStale() {
        while let top = heap.min, due[top.key] != top.date { heap.removeMin() }
    }
}
