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
        .init(
            schedule: "0 9 * * 1-5", after: "2026-03-06T10:00:00Z", through: "2026-03-09T08:00:00Z", count: 0,
            exceeded: false, mostRecent: nil),
        .init(
            schedule: "0 9 * * 1-5", after: "2026-03-06T10:00:00Z", through: "2026-03-09T09:00:00Z", count: 1,
            exceeded: false, mostRecent: "2026-03-09T09:00:00Z"),
        .init(
            schedule: "0 9 * * 1-5", after: "2026-03-02T09:00:00Z", through: "2026-03-09T09:30:00Z", count: 5,
            exceeded: false, mostRecent: "2026-03-09T09:00:00Z"),
        .init(
            schedule: "* * * * *", after: "2026-01-01T00:00:00Z", through: "2026-01-02T00:00:30Z", count: 100,
            exceeded: true, mostRecent: "2026-01-02T00:00:00Z"),
        .init(
            schedule: "30 6-16/4 * * 1-5", after: "2025-01-01T00:00:00Z", through: "2026-03-07T12:00:00Z", count: 100,
            exceeded: true, mostRecent: "2026-03-06T14:30:00Z"),
        .init(
            schedule: "0 0 29 2 *", after: "2001-01-01T00:00:00Z", through: "2026-03-07T12:00:00Z", count: 6,
            exceeded: false, mostRecent: "2024-02-29T00:00:00Z"),
        .init(
            schedule: "*/5 * * * *", after: "2026-01-01T00:00:00Z", through: "2026-01-01T08:19:59Z", count: 99,
            exceeded: false, mostRecent: "2026-01-01T08:15:00Z"),
        .init(
            schedule: "*/5 * * * *", after: "2026-01-01T00:00:00Z", through: "2026-01-01T08:20:00Z", count: 100,
            exceeded: false, mostRecent: "2026-01-01T08:20:00Z"),
        .init(
            schedule: "*/5 * * * *", after: "2026-01-01T00:00:00Z", through: "2026-01-01T08:25:00Z", count: 100,
            exceeded: true, mostRecent: "2026-01-01T08:25:00Z"),
    ]

    /// Down across Berlin's spring-forward night: the latest slot is the one folded onto 03:00 CEST.
    @Test func latestSlotAcrossDaylightSavingGap() throws {
        let schedule = try CronSchedule(schedule: "*/5 * * * *", timeZone: "Europe/Berlin")
        let slots = schedule.slots(after: epoch("2026-03-28T00:00:00Z"), through: epoch("2026-03-29T01:02:00Z"))
        #expect(slots.exceededCap)
        #expect(rfc3339(slots.mostRecent) == "2026-03-29T01:00:00Z")
    }

    /// The look-back search for the latest slot agrees with walking every slot, for each of the
    /// differential fixture's expressions over windows of up to two days.
    @Test func latestSlotMatchesAFullWalk() throws {
        var seed: UInt64 = 42
        func random(_ bound: Int64) -> Int64 {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int64((seed >> 33) % UInt64(bound))
        }
        var beyondCap = 0
        for c in CronDifferentialTests.cases {
            let schedule = try CronSchedule(schedule: c.schedule, timeZone: "Europe/Berlin")
            let earliest = epoch(c.after)
            let now = earliest + random(2 * 86_400)
            var walked: (count: Int, last: Int64?) = (0, nil)
            var slot = schedule.next(after: earliest)
            while let current = slot, current <= now {
                walked = (walked.count + 1, current)
                slot = schedule.next(after: current)
            }
            let found = schedule.slots(after: earliest, through: now, cap: 100)
            #expect(found.mostRecent == walked.last, "\(c.schedule) (\(c.after), +\(now - earliest)s]")
            #expect(found.count == min(walked.count, 100))
            #expect(found.exceededCap == (walked.count > 100))
            if walked.count > 100 { beyondCap += 1 }
        }
        // Enough windows hold more than the cap for the look-back path to be exercised.
        #expect(CronDifferentialTests.cases.count == 150)
        #expect(beyondCap >= 10, "only \(beyondCap) windows beyond the cap")
    }

    @Test(arguments: cases)
    func missedSlots(_ c: Case) throws {
        let schedule = try CronSchedule(schedule: c.schedule, timeZone: nil)
        let slots = schedule.slots(after: epoch(c.after), through: epoch(c.through))
        #expect(slots.count == c.count)
        #expect(slots.exceededCap == c.exceeded)
        #expect(rfc3339(slots.mostRecent) == rfc3339(c.mostRecent.map(epoch)))
    }
}
