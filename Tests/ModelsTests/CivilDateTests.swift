import Foundation
import Testing

@testable import Models

/// The one calendar arithmetic, used by the API's timestamps and the cron schedule search.
@Suite struct CivilDateTests {
    @Test(arguments: [
        (1970, 1, 1, 0), (1969, 12, 31, -1), (2000, 2, 29, 11_016), (2000, 3, 1, 11_017),
        (1600, 3, 1, -135_080), (2026, 3, 10, 20_522), (9999, 12, 31, 2_932_896),
    ])
    func daysSinceEpoch(year: Int, month: Int, day: Int, days: Int) {
        #expect(CivilDate.daysSinceEpoch(year: year, month: month, day: day) == days)
        let civil = CivilDate.civil(fromDaysSinceEpoch: days)
        #expect(civil.year == year && civil.month == month && civil.day == day)
    }

    /// Foundation's Gregorian calendar in UTC agrees on every day of four centuries around the epoch.
    @Test func agreesWithFoundationEveryDay() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "UTC"))
        for days in stride(from: -73_000, through: 73_000, by: 1) {
            let parts = calendar.dateComponents(
                [.year, .month, .day, .weekday], from: Date(timeIntervalSince1970: Double(days) * 86_400))
            let civil = CivilDate.civil(fromDaysSinceEpoch: days)
            guard civil.year == parts.year, civil.month == parts.month, civil.day == parts.day,
                CivilDate.weekday(daysSinceEpoch: days) == (parts.weekday ?? 0) - 1,
                CivilDate.daysSinceEpoch(year: civil.year, month: civil.month, day: civil.day) == days
            else {
                Issue.record("day \(days): \(civil) against \(parts)")
                return
            }
        }
    }

    @Test func leapYearsAndMonthLengths() {
        #expect(CivilDate.isLeap(2000) && CivilDate.isLeap(2024) && !CivilDate.isLeap(1900) && !CivilDate.isLeap(2026))
        #expect(CivilDate.days(inMonth: 2, year: 2024) == 29 && CivilDate.days(inMonth: 2, year: 2026) == 28)
        #expect((1...12).map { CivilDate.maxDays(inMonth: $0) } == [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
    }
}
