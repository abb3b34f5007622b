import Testing

@testable import Supervisor

/// Backoff and intensity: the numbers of DESIGN.md §1 (floor ≥ 100 ms, cap ~30 s, reset after a stable period).
@Suite struct RestartPolicyTests {
    @Test(arguments: [
        // (uptimes before each crash in ms, expected delays in ms)
        ([0, 0, 0, 0, 0], [100, 200, 400, 800, 1600]),
        ([0, 0, 20_000, 0], [100, 200, 100, 200]),
        (
            Array(repeating: 0, count: 12),
            [100, 200, 400, 800, 1600, 3200, 6400, 12_800, 25_600, 30_000, 30_000, 30_000]
        ),
        ([9_999, 10_000], [100, 100]),
    ])
    func backoff(uptimes: [Int], expected: [Int]) {
        var backoff = RestartBackoff(floor: .milliseconds(100), cap: .seconds(30), stableAfter: .seconds(10))
        let delays = uptimes.map { backoff.delay(afterUptime: .milliseconds($0)) }
        #expect(delays == expected.map { .milliseconds($0) })
    }

    @Test(arguments: [
        // (restart times in s, max 3 in 10 s, expected verdicts)
        ([0, 1, 2], [true, true, true]),
        ([0, 1, 2, 3], [true, true, true, false]),
        ([0, 5, 11, 12, 21], [true, true, true, true, true]),
        ([0, 10, 10, 10], [true, true, true, false]),
    ])
    func intensity(times: [Int], expected: [Bool]) {
        var intensity = RestartIntensity(maxRestarts: 3, period: .seconds(10))
        #expect(times.map { intensity.recordRestart(at: .seconds($0)) } == expected)
    }

    @Test(arguments: [
        (ChildExitStatus.exited(0), false), (.exited(1), false), (.exited(100), true), (.exited(111), false),
        (.exited(125), true), (.signaled(9), false), (.spawnFailed("ENOENT"), false),
    ])
    func s6ExitCodes(status: ChildExitStatus, forbidsRestart: Bool) {
        #expect(status.forbidsRestart == forbidsRestart)
    }
}
