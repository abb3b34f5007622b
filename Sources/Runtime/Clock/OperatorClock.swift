import Foundation

/// The wall clock every operator decision reads `now` from: the system clock, or, in
/// integration tests only, the system clock shifted by the seconds written in a file.
///
/// Why one clock for every role, in Runtime: TTLs (hours), schedules (minutes) and deadlines are
/// decided against wall time, and a test cannot wait a day. Every process (gc, watcher) takes
/// `now` from here and arms its timers with `delay(until:)`, so one environment variable moves
/// the whole operator's idea of time, and production code has no test branch anywhere else.
///
/// `OMJOB_TEST_CLOCK_FILE`: path of a file holding a decimal number of seconds (may be
/// fractional or negative) added to the system clock. The file is re-read on every `now()`, so
/// a test moves time forward by rewriting it (write a temporary file, then rename). Never set
/// it in production: it exists for tests and is not in the settings table of `--help`.
///
/// Timers: with a test clock, `delay(until:)` is capped at `testWakeInterval`, so a process
/// whose deadline was brought nearer by a jump notices within that interval (it re-decides from
/// the cache; no API read happens because of it). With the system clock the delay is exact.
public struct OperatorClock: Sendable {
    /// The environment variable naming the test clock's offset file.
    public static let testClockFileVariable = "OMJOB_TEST_CLOCK_FILE"
    /// Longest timer delay under a test clock: short enough for tests, long enough to stay idle.
    public static let testWakeInterval = Duration.milliseconds(200)

    /// The offset file, nil for the system clock.
    public let offsetFile: String?

    /// The system clock.
    public static let system = OperatorClock(offsetFile: nil)

    public init(offsetFile: String?) {
        self.offsetFile = offsetFile
    }

    /// The test clock when `OMJOB_TEST_CLOCK_FILE` is set (and not empty), else the system clock.
    public init(environment: [String: String]) {
        let file = environment[Self.testClockFileVariable].flatMap { $0.isEmpty ? nil : $0 }
        self.init(offsetFile: file)
    }

    /// True when time comes from a test's offset file.
    public var isTestClock: Bool { offsetFile != nil }

    /// The current time as the operator's decisions see it.
    public func now() -> Date {
        Date().addingTimeInterval(offset())
    }

    /// How long a timer must wait until `instant` (zero when it is past).
    public func delay(until instant: Date) -> Duration {
        let seconds = max(0, instant.timeIntervalSince(now()))
        let exact = Duration.milliseconds(Int64((seconds * 1000).rounded(.up)))
        return isTestClock ? min(exact, Self.testWakeInterval) : exact
    }

    /// The file's offset; a missing or unreadable file means 0 (the test has not moved time yet).
    private func offset() -> TimeInterval {
        guard let offsetFile, let text = try? String(contentsOfFile: offsetFile, encoding: .utf8) else { return 0 }
        return TimeInterval(text.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    }
}
