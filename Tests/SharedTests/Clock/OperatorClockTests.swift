import Foundation
import Testing

@testable import Shared

/// The operator's clock: the system clock unless a test names an offset file.
@Suite struct OperatorClockTests {
    @Test func withoutTheVariableItIsTheSystemClockAndTimersAreExact() {
        let clock = OperatorClock(environment: ["OMJOB_TEST_CLOCK_FILE": ""])
        #expect(!clock.isTestClock)
        #expect(abs(clock.now().timeIntervalSinceNow) < 5)
        let delay = clock.delay(until: Date().addingTimeInterval(3600))
        #expect(delay > .seconds(3590) && delay <= .seconds(3600))
        #expect(clock.delay(until: Date().addingTimeInterval(-10)) == .zero)
    }

    @Test func theOffsetFileMovesTimeAndIsReReadOnEveryCall() throws {
        let file = NSTemporaryDirectory() + "/omjob-clock-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: file) }
        let clock = OperatorClock(environment: ["OMJOB_TEST_CLOCK_FILE": file])
        #expect(clock.isTestClock)
        #expect(abs(clock.now().timeIntervalSinceNow) < 5, "a missing file means no offset yet")
        try "86400\n".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(abs(clock.now().timeIntervalSinceNow - 86_400) < 5)
        try "-3600.5".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(abs(clock.now().timeIntervalSinceNow + 3600.5) < 5)
        // Far instants are looked at again soon: the test may move time towards them.
        #expect(clock.delay(until: Date().addingTimeInterval(7200)) == OperatorClock.testWakeInterval)
    }
}
