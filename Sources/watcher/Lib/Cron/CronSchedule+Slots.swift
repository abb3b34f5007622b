extension CronSchedule {
    /// The slots in (`earliest`, `now`]: how many (counted up to `cap`, so a CronOMJob that was
    /// down for a year costs `cap` steps, not a year of minutes) and the most recent one.
    public struct MissedSlots: Hashable, Sendable {
        /// Slots found, at most the `cap` asked for.
        public var count: Int
        /// True when there were more than `cap` (Kubernetes warns past 100).
        public var exceededCap: Bool
        /// The latest slot ≤ now, nil when there is none in the interval.
        public var mostRecent: Int64?
    }

    /// Finds the slots after `earliest` up to and including `now`.
    public func slots(after earliest: Int64, through now: Int64, cap: Int = 100) -> MissedSlots {
        var count = 0
        var slot = next(after: earliest)
        var last: Int64?
        while let current = slot, current <= now, count < cap {
            count += 1
            last = current
            slot = next(after: current)
        }
        guard let current = slot, current <= now else {
            return MissedSlots(count: count, exceededCap: false, mostRecent: last)
        }
        return MissedSlots(count: count, exceededCap: true, mostRecent: latest(after: current, through: now))
    }

    /// The latest slot in [`floor`, `now`], given that `floor` is itself a slot.
    ///
    /// Looks back from `now` through doubling windows, so the forward walk at the end only
    /// crosses the slots of the last window instead of everything since `floor`.
    private func latest(after floor: Int64, through now: Int64) -> Int64 {
        var window: Int64 = 60
        var from = now - window
        while from > floor, let probe = next(after: from), probe > now {
            window *= 2
            from = now - window
        }
        var best = floor
        var slot = next(after: max(from, floor))
        while let current = slot, current <= now {
            best = current
            slot = next(after: current)
        }
        return best
    }
}
