// Next-run computations per second of the cron schedule evaluator, for a few expressions and
// time zones, plus the cost of the missed-slot scan after a year of downtime (what the
// CronOMJob decision does when the operator comes back). Prints numbers; asserts nothing.
//
//   swift build -c release --product CronBenchmark && .build/release/CronBenchmark [iterations]
import Foundation
import Watcher

let iterations = CommandLine.arguments.dropFirst().compactMap { Int($0) }.first ?? 200_000
let start: Int64 = 1_767_225_600  // 2026-01-01T00:00:00Z

let cases: [(String, String?)] = [
    ("*/5 * * * *", nil),
    ("0 * * * *", "America/New_York"),
    ("30 2 * * *", "Europe/Berlin"),
    ("0 9 * * MON-FRI", "Asia/Kolkata"),
    ("30 6-16/4 * * 1-5", "UTC"),
    ("0 0 31 * *", nil),
    ("0 0 29 2 *", nil),
    ("0 0 1,15 * SUN", "America/New_York"),
]

func measure(_ body: () -> Int64) -> (Double, Int64) {
    let clock = ContinuousClock()
    var checksum: Int64 = 0
    let elapsed = clock.measure { checksum = body() }
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    return (seconds, checksum)
}

print("expression                    zone               next()/s     µs/call  last slot")
for (expression, zone) in cases {
    let schedule = try CronSchedule(schedule: expression, timeZone: zone)
    // Chained: each call starts from the previous slot, so leap days and DST days are crossed.
    let (seconds, last) = measure {
        var instant = start
        for _ in 0..<iterations { instant = schedule.next(after: instant) ?? start }
        return instant
    }
    let rate = Double(iterations) / seconds
    let when = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval(last)))
    print(
        expression.padding(toLength: 30, withPad: " ", startingAt: 0)
            + (zone ?? "UTC").padding(toLength: 17, withPad: " ", startingAt: 0),
        String(format: "%12.0f %10.2f", rate, 1e6 / rate), when)
}

print("\nmissed-slot scan after 365 days down (cap 100, finds the latest slot)")
for (expression, zone) in [
    ("* * * * *", "UTC"), ("*/5 * * * *", "Europe/Berlin"), ("30 6-16/4 * * 1-5", "America/New_York"),
] {
    let schedule = try CronSchedule(schedule: expression, timeZone: zone)
    let scans = max(1, iterations / 1000)
    let (seconds, _) = measure {
        var sum: Int64 = 0
        for i in 0..<scans {
            sum &+= schedule.slots(after: start, through: start + 365 * 86_400 + Int64(i)).mostRecent ?? 0
        }
        return sum
    }
    print(
        expression.padding(toLength: 30, withPad: " ", startingAt: 0)
            + zone.padding(toLength: 17, withPad: " ", startingAt: 0),
        String(format: "%12.0f scans/s %8.1f µs/scan", Double(scans) / seconds, seconds / Double(scans) * 1e6))
}
