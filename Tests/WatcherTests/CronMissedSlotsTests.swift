import Testing
@testable import Watcher

@Suite struct CronMissedSlotsTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var schedule: String
        var after: String
        var through: String
        var count: Int
        var exceeded: Bool
        var mostRecent: String?
        var testDescription: String { "\(schedule) (\(after), \(through)]" }
    }

    static let cases: [Case] = [
        .init(schedule: "0 9 * * 1-5", after: "2026-03-06T10:00:00Z", through: "2026-03-09T08:00:00Z", count: 0, exceeded: false, mostRecent: nil),
        .init(schedule: "0 9 * * 1-5", after: "2026-03-06T10:00:00Z", through: "2026-03-09T09:00:00Z", count: 1, exceeded: false, mostRecent: "2026-03-09T09:00:00Z"),
        .init(schedule: "0 9 * * 1-5", after: "2026-03-02T09:00:00Z", through: "2026-03-09T09:30:00Z", count: 5, exceeded: false, mostRecent: "2026-03-09T09:00:00Z"),
        .init(schedule: "* * * * *", after: "2026-01-01T00:00:00Z", through: "2026-01-02T00:00:30Z", count: 100, exceeded: true, mostRecent: "2026-01-02T00:00:00Z"),
        .init(schedule: "30 6-16/4 * * 1-5", after: "2025-01-01T00:00:00Z", through: "2026-03-07T12:00:00Z", count: 100, exceeded: true, mostRecent: "2026-03-06T14:30:00Z"),
        .init(schedule: "0 0 29 2 *", after: "2001-01-01T00:00:00Z", through: "2026-03-07T12:00:00Z", count: 6, exceeded: false, mostRecent: "2024-02-29T00:00:00Z"),
        .init(schedule: "*/5 * * * *", after: "2026-01-01T00:00:00Z", through: "2026-01-01T08:19:59Z", count: 99, exceeded: false, mostRecent: "2026-01-01T08:15:00Z"),
        .init(schedule: "*/5 * * * *", after: "2026-01-01T00:00:00Z", through: "2026-01-01T08:20:00Z", count: 100, exceeded: false, mostRecent: "2026-01-01T08:20:00Z"),
        .init(schedule: "*/5 * * * *", after: "2026-01-01T00:00:00Z", through: "2026-01-01T08:25:00Z", count: 100, exceeded: true, mostRecent: "2026-01-01T08:25:00Z"),
    ]

    @Test(arguments: cases)
    func missedSlots(_ c: Case) throws {
        let schedule = try CronSchedule(schedule: c.schedule, timeZone: nil)
        let slots = schedule.slots(after: epoch(c.after), through: epoch(c.through))
        #expect(slots.count == c.count)
        #expect(slots.exceededCap == c.exceeded)
        #expect(rfc3339(slots.mostRecent) == rfc3339(c.mostRecent.map(epoch)))
    }
}
