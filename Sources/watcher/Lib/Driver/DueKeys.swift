import Foundation

/// When each key should be looked at again with no event (a decision's `nextLook`, or a retry
/// after backoff): the earliest time per key. One driver timer is armed for `earliest`; when it
/// fires, `takeDue(now:)` hands over every key whose time has come.
public struct DueKeys<Key: Hashable> {
    private var due: [Key: Date] = [:]

    public init() {}

    /// Looks at `key` no later than `date` (an earlier time already set wins).
    public mutating func schedule(_ key: Key, at date: Date) {
        if let current = due[key], current <= date { return }
        due[key] = date
    }

    /// Replaces the key's time with `date`, or clears it (nil): a fresh decision knows best.
    public mutating func reset(_ key: Key, to date: Date?) {
        due[key] = date
    }

    /// The earliest time of all keys.
    public var earliest: Date? { due.values.min() }

    /// Removes and returns the keys due at `now`.
    public mutating func takeDue(now: Date) -> [Key] {
        let ready = due.filter { $0.value <= now }.map(\.key)
        for key in ready { due[key] = nil }
        return ready
    }

    public var count: Int { due.count }
}
