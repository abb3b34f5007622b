/// Proleptic Gregorian calendar arithmetic on plain integers, independent of any time zone; exact
/// for every year.
///
/// Written by hand rather than with Foundation's `Calendar` because the cron schedule search calls
/// it in its inner loop and the API's timestamps are parsed with it on every event: these are a
/// few integer operations (Howard Hinnant's `days_from_civil` algorithm), where
/// `Calendar.dateComponents` allocates and takes locks. Inlinable, and the small ones always
/// inlined, so the cron search in the watcher pays no call across modules.
public enum CivilDate {
    /// Whether `year` has a February 29.
    @inlinable @inline(__always)
    public static func isLeap(_ year: Int) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

    /// Days in `month` (1–12) of `year`.
    @inlinable @inline(__always)
    public static func days(inMonth month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days in `month` in a leap year: the most that month ever has.
    @inlinable
    public static func maxDays(inMonth month: Int) -> Int { days(inMonth: month, year: 2000) }

    /// Days since 1970-01-01 of a civil date.
    @inlinable @inline(__always)
    public static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The civil date of a day count since 1970-01-01.
    @inlinable
    public static func civil(fromDaysSinceEpoch days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday).
    @inlinable @inline(__always)
    public static func weekday(daysSinceEpoch days: Int) -> Int {
        let w = (days + 4) % 7
        return w < 0 ? w + 7 : w
    }
}
