import Testing

@testable import GC

/// When the gc sweeps, from tables of inputs at explicit times: no clock, no sleeps.
@Suite struct GCPacingTests {
    enum Input: Sendable {
        case changed(ms: Int)
        case started(ms: Int)
        case finished(decided: Bool, ms: Int)
        case pacerFired(ms: Int)
        case pacerUnavailable
        case leading(Bool, ms: Int)
    }

    /// Feeds `inputs` in order and returns each one's actions.
    static func run(_ inputs: [Input], from start: GCPacing = GCPacing()) -> (GCPacing, [[GCPacing.Action]]) {
        var pacing = start
        let actions = inputs.map { input -> [GCPacing.Action] in
            switch input {
            case .changed(let ms): return pacing.changed(now: .milliseconds(ms))
            case .started(let ms):
                pacing.sweepStarted(now: .milliseconds(ms))
                return []
            case .finished(let decided, let ms): return pacing.sweepFinished(decided: decided, now: .milliseconds(ms))
            case .pacerFired(let ms): return pacing.pacerFired(now: .milliseconds(ms))
            case .pacerUnavailable: return pacing.pacerUnavailable()
            case .leading(let leading, let ms): return pacing.leadershipChanged(leading, now: .milliseconds(ms))
            }
        }
        return (pacing, actions)
    }

    static let table: [(String, [Input], [[GCPacing.Action]])] = [
        ("the first change sweeps at once", [.changed(ms: 0)], [[.sweep]]),
        (
            "changes during a sweep coalesce into one more sweep, paced from the first sweep's start",
            [
                .changed(ms: 0), .started(ms: 0), .changed(ms: 100), .changed(ms: 200),
                .finished(decided: true, ms: 300),
            ],
            [[.sweep], [], [], [], [.waitThenSweep(.milliseconds(700))]]
        ),
        (
            "a change that came before the sweep read the cache is part of it",
            [.changed(ms: 0), .changed(ms: 1), .started(ms: 2), .finished(decided: true, ms: 50)],
            [[.sweep], [], [], []]
        ),
        (
            "a change within the interval waits for the rest of it; more changes while waiting add nothing",
            [
                .changed(ms: 0), .started(ms: 0), .finished(decided: true, ms: 10), .changed(ms: 400),
                .changed(ms: 500), .pacerFired(ms: 1000),
            ],
            [[.sweep], [], [], [.waitThenSweep(.milliseconds(600))], [], [.sweep]]
        ),
        (
            "a change after the interval sweeps at once",
            [.changed(ms: 0), .started(ms: 0), .finished(decided: true, ms: 10), .changed(ms: 1000)],
            [[.sweep], [], [], [.sweep]]
        ),
        (
            "a sweep before the caches synced does not start the interval",
            [.changed(ms: 0), .started(ms: 0), .finished(decided: false, ms: 10), .changed(ms: 20)],
            [[.sweep], [], [], [.sweep]]
        ),
        (
            "without a timer for the pacer the sweep runs at once",
            [.changed(ms: 0), .started(ms: 0), .finished(decided: true, ms: 10), .changed(ms: 400), .pacerUnavailable],
            [[.sweep], [], [], [.waitThenSweep(.milliseconds(600))], [.sweep]]
        ),
        (
            "a standby says so and does not sweep; taking the lead sweeps at once",
            [.leading(false, ms: 0), .leading(false, ms: 10), .leading(true, ms: 20)],
            [[.announceLeadership(false)], [], [.announceLeadership(true), .sweep]]
        ),
        (
            "taking the lead within the interval is paced like any change",
            [
                .changed(ms: 0), .started(ms: 0), .finished(decided: true, ms: 10), .leading(false, ms: 100),
                .leading(true, ms: 200),
            ],
            [
                [.sweep], [], [], [.announceLeadership(false)],
                [.announceLeadership(true), .waitThenSweep(.milliseconds(800))],
            ]
        ),
    ]

    @Test(arguments: table)
    func rules(_ name: String, inputs: [Input], expected: [[GCPacing.Action]]) {
        #expect(Self.run(inputs).1 == expected, "\(name)")
    }

    @Test func sweepsNeverOverlap() {
        let (pacing, actions) = Self.run([
            .changed(ms: 0), .changed(ms: 1), .leading(false, ms: 2), .leading(true, ms: 3),
        ])
        #expect(actions.joined().filter { $0 == .sweep }.count == 1)
        #expect(pacing.sweeping && pacing.dirty)
    }

    @Test(arguments: [
        (Duration?.none, false, Duration?.none), (.seconds(60), false, .seconds(60)),
        (.none, true, .seconds(5)), (.seconds(60), true, .seconds(5)), (.seconds(2), true, .seconds(2)),
    ])
    func nextWake(wake: Duration?, failed: Bool, expected: Duration?) {
        #expect(GCPacing.nextWake(wake, writeFailed: failed) == expected)
    }
}
