import Models

/// A wall-clock minute in some time zone, as the user reads it on a clock: no offset attached.
struct WallMinute: Hashable, Comparable, Sendable {
    var year: Int
    var month: Int
    var day: Int
    var hour: Int
    var minute: Int

    /// Seconds since 1970-01-01T00:00 of this wall time read as if it were UTC.
    var secondsAsIfUTC: Int64 {
        let days = CivilDate.daysSinceEpoch(year: year, month: month, day: day)
        return Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60)
    }

    /// The wall minute containing `seconds` (a wall time read as if UTC); seconds are dropped.
    init(secondsAsIfUTC seconds: Int64) {
        let days = Int((seconds >= 0 ? seconds : seconds - 86_399) / 86_400)
        let (year, month, day) = CivilDate.civil(fromDaysSinceEpoch: days)
        let secondOfDay = Int(seconds - Int64(days) * 86_400)
        self.init(year: year, month: month, day: day, hour: secondOfDay / 3600, minute: secondOfDay % 3600 / 60)
    }

    init(year: Int, month: Int, day: Int, hour: Int, minute: Int) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
    }

    static func < (lhs: WallMinute, rhs: WallMinute) -> Bool {
        (lhs.year, lhs.month, lhs.day, lhs.hour, lhs.minute) < (rhs.year, rhs.month, rhs.day, rhs.hour, rhs.minute)
    }
}
