import Foundation
import Testing

@testable import Watcher

@Suite struct CronScheduleTests {
    /// One step of `next(after:)`: instants written with the offset a wall clock in `zone` shows.
    struct NextCase: Sendable, CustomTestStringConvertible {
        var schedule: String
        var zone: String?
        var after: String
        var expected: String?
        var why: String
        var testDescription: String { "\(schedule) [\(zone ?? "UTC")] after \(after): \(why)" }
    }

    static let plain: [NextCase] = [
        .init(
            schedule: "*/5 * * * *", zone: nil, after: "2026-03-10T10:02:30Z", expected: "2026-03-10T10:05:00Z",
            why: "next step"),
        .init(
            schedule: "*/5 * * * *", zone: nil, after: "2026-03-10T10:05:00Z", expected: "2026-03-10T10:10:00Z",
            why: "strictly after"),
        .init(
            schedule: "1-10/2 * * * *", zone: nil, after: "2026-03-10T10:09:00Z", expected: "2026-03-10T11:01:00Z",
            why: "range with step wraps the hour"),
        .init(
            schedule: "59 23 31 12 *", zone: nil, after: "2026-12-31T23:58:00Z", expected: "2026-12-31T23:59:00Z",
            why: "last minute of the year"),
        .init(
            schedule: "* * * * *", zone: nil, after: "2026-12-31T23:59:00Z", expected: "2027-01-01T00:00:00Z",
            why: "wraps minute, hour, day, month, year"),
        .init(
            schedule: "0 0 29 2 *", zone: nil, after: "2026-03-01T00:00:00Z", expected: "2028-02-29T00:00:00Z",
            why: "next leap day"),
        .init(
            schedule: "0 0 29 2 *", zone: nil, after: "2028-02-29T00:00:00Z", expected: "2032-02-29T00:00:00Z",
            why: "four years on"),
        .init(
            schedule: "0 0 29 2 *", zone: nil, after: "2096-03-01T00:00:00Z", expected: "2104-02-29T00:00:00Z",
            why: "2100 is not a leap year"),
        .init(
            schedule: "0 0 29 2 1", zone: nil, after: "2026-01-01T00:00:00Z", expected: "2026-02-02T00:00:00Z",
            why: "OR rule: any Monday or a Feb 29"),
        .init(
            schedule: "0 0 31 * *", zone: nil, after: "2026-01-31T00:00:00Z", expected: "2026-03-31T00:00:00Z",
            why: "February has no 31st"),
        .init(
            schedule: "0 0 31 * *", zone: nil, after: "2026-03-31T00:00:00Z", expected: "2026-05-31T00:00:00Z",
            why: "April has no 31st"),
        .init(
            schedule: "0 0 31 * *", zone: nil, after: "2026-07-31T00:00:00Z", expected: "2026-08-31T00:00:00Z",
            why: "July and August both do"),
        .init(
            schedule: "0 0 31 * *", zone: nil, after: "2026-10-31T00:00:00Z", expected: "2026-12-31T00:00:00Z",
            why: "November has no 31st"),
        .init(
            schedule: "0 0 1,15 * SUN", zone: nil, after: "2026-03-02T00:00:00Z", expected: "2026-03-08T00:00:00Z",
            why: "OR rule: a Sunday"),
        .init(
            schedule: "0 0 1,15 * SUN", zone: nil, after: "2026-03-09T00:00:00Z", expected: "2026-03-15T00:00:00Z",
            why: "OR rule: the 15th"),
        .init(
            schedule: "0 0 */10 * SUN", zone: nil, after: "2026-03-01T00:00:00Z", expected: "2026-03-08T00:00:00Z",
            why: "*/10 is a restriction, so OR"),
        .init(
            schedule: "0 0 1 * sun-sat", zone: nil, after: "2026-03-02T00:00:00Z", expected: "2026-03-03T00:00:00Z",
            why: "robfig: a full weekday range is no star, so OR: every day"),
        .init(
            schedule: "0 0 * * MON", zone: nil, after: "2026-03-01T00:00:00Z", expected: "2026-03-02T00:00:00Z",
            why: "AND rule with a star day of month"),
        .init(
            schedule: "0 0 ? * 7", zone: nil, after: "2026-03-02T00:00:00Z", expected: "2026-03-08T00:00:00Z",
            why: "7 is Sunday"),
        .init(
            schedule: "0 12 * JAN-MAR MON-FRI", zone: nil, after: "2026-03-31T12:00:00Z",
            expected: "2027-01-01T12:00:00Z", why: "names; Jan 1 2027 is a Friday"),
        .init(
            schedule: "@weekly", zone: nil, after: "2026-03-04T12:00:00Z", expected: "2026-03-08T00:00:00Z",
            why: "Sunday midnight"),
        .init(
            schedule: "@yearly", zone: nil, after: "2026-06-01T00:00:00Z", expected: "2027-01-01T00:00:00Z",
            why: "January 1st"),
        .init(
            schedule: "@monthly", zone: nil, after: "2026-06-01T00:00:00Z", expected: "2026-07-01T00:00:00Z",
            why: "first of the month"),
        .init(
            schedule: "@hourly", zone: nil, after: "2026-06-01T10:00:00Z", expected: "2026-06-01T11:00:00Z",
            why: "top of the hour"),
        .init(
            schedule: "@daily", zone: "Asia/Kolkata", after: "2026-06-01T00:00:00+05:30",
            expected: "2026-06-02T00:00:00+05:30", why: "half-hour offset"),
        .init(
            schedule: "0 0 29 2 1", zone: nil, after: "2026-02-27T00:00:00Z", expected: "2027-02-01T00:00:00Z",
            why: "February only: the next February Monday"),
    ]

    /// America/New_York 2026: clocks go 02:00 EST → 03:00 EDT on March 8, 02:00 EDT → 01:00 EST on November 1.
    static let newYork: [NextCase] = [
        .init(
            schedule: "30 2 * * *", zone: "America/New_York", after: "2026-03-08T00:00:00-05:00",
            expected: "2026-03-08T03:00:00-04:00", why: "02:30 does not exist: runs once at 03:00"),
        .init(
            schedule: "30 2 * * *", zone: "America/New_York", after: "2026-03-08T03:00:00-04:00",
            expected: "2026-03-09T02:30:00-04:00", why: "back to normal the next day"),
        .init(
            schedule: "*/15 * * * *", zone: "America/New_York", after: "2026-03-08T01:45:00-05:00",
            expected: "2026-03-08T03:00:00-04:00", why: "the whole skipped hour collapses into one run"),
        .init(
            schedule: "*/15 * * * *", zone: "America/New_York", after: "2026-03-08T03:00:00-04:00",
            expected: "2026-03-08T03:15:00-04:00", why: "and runs once only"),
        .init(
            schedule: "0 * * * *", zone: "America/New_York", after: "2026-03-08T01:00:00-05:00",
            expected: "2026-03-08T03:00:00-04:00", why: "hourly: 02:00 folds into 03:00"),
        .init(
            schedule: "0 * * * *", zone: "America/New_York", after: "2026-03-08T03:00:00-04:00",
            expected: "2026-03-08T04:00:00-04:00", why: "hourly: 03:00 only once"),
        .init(
            schedule: "0 3 * * *", zone: "America/New_York", after: "2026-03-08T01:00:00-05:00",
            expected: "2026-03-08T03:00:00-04:00", why: "03:00 exists"),
        .init(
            schedule: "30 1 * * *", zone: "America/New_York", after: "2026-11-01T00:00:00-04:00",
            expected: "2026-11-01T01:30:00-04:00", why: "01:30 happens twice: the first one"),
        .init(
            schedule: "30 1 * * *", zone: "America/New_York", after: "2026-11-01T01:30:00-04:00",
            expected: "2026-11-02T01:30:00-05:00", why: "not the second one"),
        .init(
            schedule: "30 1 * * *", zone: "America/New_York", after: "2026-11-01T01:10:00-05:00",
            expected: "2026-11-02T01:30:00-05:00", why: "looking from inside the repeat"),
        .init(
            schedule: "0 * * * *", zone: "America/New_York", after: "2026-11-01T01:00:00-04:00",
            expected: "2026-11-01T02:00:00-05:00", why: "hourly: 01:00 EST is a repeat"),
        .init(
            schedule: "*/30 * * * *", zone: "America/New_York", after: "2026-11-01T01:30:00-04:00",
            expected: "2026-11-01T02:00:00-05:00", why: "repeated half hours skipped"),
        .init(
            schedule: "0 2 * * *", zone: "America/New_York", after: "2026-11-01T00:00:00-04:00",
            expected: "2026-11-01T02:00:00-05:00", why: "02:00 happens once"),
    ]

    /// Europe/Berlin 2026: 02:00 CET → 03:00 CEST on March 29, 03:00 CEST → 02:00 CET on October 25.
    static let berlin: [NextCase] = [
        .init(
            schedule: "30 2 * * *", zone: "Europe/Berlin", after: "2026-03-29T01:00:00+01:00",
            expected: "2026-03-29T03:00:00+02:00", why: "02:30 does not exist"),
        .init(
            schedule: "30 2 * * *", zone: "Europe/Berlin", after: "2026-03-29T03:00:00+02:00",
            expected: "2026-03-30T02:30:00+02:00", why: "normal next day"),
        .init(
            schedule: "0 2 * * SUN", zone: "Europe/Berlin", after: "2026-03-28T12:00:00+01:00",
            expected: "2026-03-29T03:00:00+02:00", why: "weekly slot in the gap"),
        .init(
            schedule: "30 2 * * *", zone: "Europe/Berlin", after: "2026-10-25T02:00:00+02:00",
            expected: "2026-10-25T02:30:00+02:00", why: "first 02:30"),
        .init(
            schedule: "30 2 * * *", zone: "Europe/Berlin", after: "2026-10-25T02:30:00+02:00",
            expected: "2026-10-26T02:30:00+01:00", why: "second 02:30 skipped"),
        .init(
            schedule: "0 3 * * *", zone: "Europe/Berlin", after: "2026-10-25T02:30:00+02:00",
            expected: "2026-10-25T03:00:00+01:00", why: "03:00 once, after the repeat"),
        .init(
            schedule: "*/20 * * * *", zone: "Europe/Berlin", after: "2026-10-25T02:40:00+02:00",
            expected: "2026-10-25T03:00:00+01:00", why: "the whole repeat is skipped"),
    ]

    /// Gaps that are not one hour: Lord Howe's 30-minute daylight saving, and Samoa skipping
    /// 30 December 2011 altogether when it crossed the date line.
    static let unusual: [NextCase] = [
        .init(
            schedule: "15 2 * * *", zone: "Australia/Lord_Howe", after: "2026-10-04T00:00:00+10:30",
            expected: "2026-10-04T02:30:00+11:00", why: "02:15 falls in a 30-minute gap"),
        .init(
            schedule: "45 2 * * *", zone: "Australia/Lord_Howe", after: "2026-10-04T00:00:00+10:30",
            expected: "2026-10-04T02:45:00+11:00", why: "02:45 exists"),
        .init(
            schedule: "0 12 * * *", zone: "Pacific/Apia", after: "2011-12-29T13:00:00-10:00",
            expected: "2011-12-31T00:00:00+14:00", why: "a skipped day runs once after it"),
        .init(
            schedule: "0 12 * * *", zone: "Pacific/Apia", after: "2011-12-31T00:00:00+14:00",
            expected: "2011-12-31T12:00:00+14:00", why: "and once only"),
    ]

    @Test(arguments: plain + newYork + berlin + unusual)
    func next(_ c: NextCase) throws {
        let schedule = try CronSchedule(schedule: c.schedule, timeZone: c.zone)
        let actual = schedule.next(after: epoch(c.after))
        #expect(rfc3339(actual) == rfc3339(c.expected.map(epoch)), "\(c.why)")
    }

    /// A whole transition day, hour by hour: every wall-clock hour runs exactly once.
    @Test(arguments: [
        ("America/New_York", "2026-03-08T00:00:00-05:00", "2026-03-09T00:00:00-04:00", 23),
        ("America/New_York", "2026-11-01T00:00:00-04:00", "2026-11-02T00:00:00-05:00", 24),
        ("Europe/Berlin", "2026-03-29T00:00:00+01:00", "2026-03-30T00:00:00+02:00", 23),
        ("Europe/Berlin", "2026-10-25T00:00:00+02:00", "2026-10-26T00:00:00+01:00", 24),
    ])
    func hourlyAcrossTransitionDay(zone: String, from: String, through: String, runs: Int) throws {
        let schedule = try CronSchedule(schedule: "0 * * * *", timeZone: zone)
        var seen: [Int64] = []
        var slot = schedule.next(after: epoch(from))
        while let current = slot, current <= epoch(through) {
            seen.append(current)
            slot = schedule.next(after: current)
        }
        // Midnight to midnight inclusive of the end: 23 or 24 hours plus the closing midnight.
        #expect(seen.count == runs)
        #expect(seen == seen.sorted() && Set(seen).count == seen.count)
    }

    @Test(arguments: [
        (nil as String?, "GMT"), ("", "GMT"), ("UTC", "GMT"), ("Europe/Berlin", "Europe/Berlin"),
        ("America/Argentina/Buenos_Aires", "America/Argentina/Buenos_Aires"),
    ])
    func acceptsTimeZones(name: String?, identifier: String) throws {
        #expect(try CronSchedule.timeZone(named: name).identifier == identifier)
    }

    @Test(arguments: [
        "Mars/Olympus", "Local", "europe/berlin", "GMT+5", "UTC-03:00", "../../etc/passwd", "/usr/share/zoneinfo/UTC",
        "Europe/Berlin ",
    ])
    func rejectsTimeZones(name: String) {
        #expect(throws: CronScheduleError.unknownTimeZone(name)) { try CronSchedule.timeZone(named: name) }
    }

    @Test func invalidScheduleErrorNamesTheSpecField() {
        #expect {
            try CronSchedule(schedule: "61 * * * *", timeZone: "UTC")
        } throws: { error in
            "\(error)" == "spec.schedule: invalid minute field \"61\": 61 is outside 0-59"
        }
    }
}
