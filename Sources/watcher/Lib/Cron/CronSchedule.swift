import Foundation

/// A cron expression evaluated in an IANA time zone: the instants at which a CronOMJob fires.
///
/// Pure: every question takes the instant it is about, nothing reads the clock. Instants are
/// whole seconds since the Unix epoch, the resolution of Kubernetes timestamps. See
/// `ZonedClock` for what happens to slots in daylight-saving gaps and repeats.
public struct CronSchedule: Sendable {
    /// The parsed `schedule`.
    public let expression: CronExpression
    /// The zone the expression's wall-clock fields are read in.
    public var timeZone: TimeZone { clock.timeZone }
    private let clock: ZonedClock

    /// Most wall-clock minutes that may be passed over in one `next` call because their first
    /// occurrence already went by (a repeated hour of a every-minute schedule needs 60).
    private static let maxSkippedRepeats = 10_000

    public init(expression: CronExpression, timeZone: TimeZone) {
        self.expression = expression
        clock = ZonedClock(timeZone: timeZone)
    }

    /// Parses a CronOMJob's `schedule` and `timeZone` (nil or empty: UTC).
    public init(schedule: String, timeZone name: String?) throws(CronScheduleError) {
        let expression: CronExpression
        do { expression = try CronExpression(parsing: schedule) } catch { throw .invalidSchedule(error) }
        self.init(expression: expression, timeZone: try Self.timeZone(named: name))
    }

    /// Resolves an IANA name. `Local` is refused, as Kubernetes refuses it: the operator's own
    /// zone is an accident of where it runs. So are Foundation's `GMT+5`-style custom zones,
    /// which Go's tz loader (and so a real CronJob) would not accept either.
    public static func timeZone(named name: String?) throws(CronScheduleError) -> TimeZone {
        guard let name, !name.isEmpty else { return TimeZone(identifier: "UTC")! }
        let looksLikeIANA = name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "/_+-".contains($0)) }
        let customOffset = ["GMT+", "GMT-", "UTC+", "UTC-"].contains(where: name.hasPrefix)
        guard looksLikeIANA, !customOffset, name != "Local", !name.hasPrefix("/"), let zone = TimeZone(identifier: name)
        else {
            throw .unknownTimeZone(name)
        }
        return zone
    }

    /// The first slot strictly after `instant`, or nil when the expression never matches again.
    public func next(after instant: Int64) -> Int64? {
        var start = WallMinute(secondsAsIfUTC: clock.wallMinute(at: instant).secondsAsIfUTC + 60)
        for _ in 0..<Self.maxSkippedRepeats {
            guard let match = expression.nextMatch(atOrAfter: start) else { return nil }
            let slot = clock.firstInstant(showing: match)
            if slot > instant { return slot }
            // Clocks went back: this wall minute already had its (first) turn.
            start = WallMinute(secondsAsIfUTC: match.secondsAsIfUTC + 60)
        }
        return nil
    }

    /// `next(after:)` on `Date`s (sub-second parts are dropped, as in Kubernetes timestamps).
    public func next(after date: Date) -> Date? {
        next(after: Int64(date.timeIntervalSince1970.rounded(.down))).map {
            Date(timeIntervalSince1970: TimeInterval($0))
        }
    }
}
