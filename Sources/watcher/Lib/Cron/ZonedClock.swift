import Foundation

/// Converts between instants and wall-clock minutes in one IANA time zone, resolving the two
/// daylight-saving anomalies the way cronie/ISC cron does
/// (cron(8): jobs from a skipped interval run right after the change, "running the same job
/// twice is avoided"), not as robfig/cron v3 and so Kubernetes CronJob do (its tests:
/// "2am nightly job (skipped)", "1am nightly job (runs twice)"):
///
/// - a wall time that does not exist (spring forward, e.g. 02:30 on a New York March Sunday)
///   maps to the first instant after the gap (03:00 EDT): the slot runs once, late, instead of
///   being lost; several slots in one gap (`*/15`) collapse into that one run;
/// - a wall time that occurs twice (fall back) maps to its first occurrence only, so every
///   wall-clock slot runs exactly once, hourly and every-few-minutes ones included.
///
/// Assumes offset changes are more than 48 hours apart, true of every zone in the tz database.
struct ZonedClock: Sendable {
    let timeZone: TimeZone
    /// Zones that never change offset skip every lookup (UTC is the default and the commonest).
    private let fixedOffset: Int?

    /// Names of the zones that are UTC under another name.
    private static let utcAliases: Set<String> = [
        "UTC", "Etc/UTC", "GMT", "Etc/GMT", "UCT", "Etc/UCT", "Zulu", "Etc/Zulu", "Universal", "Etc/Universal",
    ]

    init(timeZone: TimeZone) {
        self.timeZone = timeZone
        fixedOffset = Self.utcAliases.contains(timeZone.identifier) ? 0 : nil
    }

    /// UTC offset in seconds in force at `instant` (epoch seconds).
    @inline(__always)
    func offset(at instant: Int64) -> Int64 {
        if let fixedOffset { return Int64(fixedOffset) }
        return Int64(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(instant))))
    }

    /// The wall-clock minute showing at `instant`.
    func wallMinute(at instant: Int64) -> WallMinute {
        WallMinute(secondsAsIfUTC: instant + offset(at: instant))
    }

    /// The first instant at which clocks show `wall`, or the end of the gap when they never do.
    func firstInstant(showing wall: WallMinute) -> Int64 {
        let local = wall.secondsAsIfUTC
        if let fixedOffset { return local - Int64(fixedOffset) }
        let offsetBefore = offset(at: local - 86_400)
        let offsetAfter = offset(at: local + 86_400)
        // Larger offset first: in a repeated hour, the earlier reading is the one before the change.
        let candidates = offsetBefore >= offsetAfter ? [offsetBefore, offsetAfter] : [offsetAfter, offsetBefore]
        for candidate in candidates where offset(at: local - candidate) == candidate {
            return local - candidate
        }
        return firstInstantAfterGap(from: local - offsetAfter, to: local - offsetBefore)
    }

    /// The instant the offset changes in (low, high]: binary search, about a dozen lookups for a
    /// one-hour gap. It needs nothing but `secondsFromGMT`, so it treats a standard-offset change
    /// (Nepal 1986, Samoa 2011) exactly like a daylight-saving one.
    private func firstInstantAfterGap(from low: Int64, to high: Int64) -> Int64 {
        let before = offset(at: low)
        var (low, high) = (low, high)
        while high - low > 1 {
            let middle = low + (high - low) / 2
            if offset(at: middle) == before { low = middle } else { high = middle }
        }
        return high
    }
}
