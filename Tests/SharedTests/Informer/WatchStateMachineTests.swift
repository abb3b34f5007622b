import Testing

@testable import Shared

@Suite struct WatchStateMachineTests {
    typealias M = WatchStateMachine

    /// (state before, failures before, input, state after, action)
    static let transitions: [(M.State, Int, M.Input, M.State, M.Action)] = [
        (.empty, 0, .start, .listing, .list(after: .zero)),
        (
            .listing, 0, .listSucceeded(resourceVersion: "10"), .listed(resourceVersion: "10"),
            .watch(from: "10", after: .zero)
        ),
        (.listing, 0, .listFailed, .listing, .list(after: .milliseconds(800))),
        (.listing, 2, .listFailed, .listing, .list(after: .milliseconds(3200))),
        (.listing, 9, .listFailed, .listing, .list(after: .seconds(30))),
        (.listing, 0, .gone, .listing, .list(after: .zero)),
        (.listed(resourceVersion: "10"), 0, .watchOpened, .watching(resourceVersion: "10"), .none),
        (.watching(resourceVersion: "10"), 0, .event(resourceVersion: "11"), .watching(resourceVersion: "11"), .none),
        // A cut stream resumes from the last version seen, after a backoff.
        (
            .watching(resourceVersion: "11"), 0, .watchBroke, .listed(resourceVersion: "11"),
            .watch(from: "11", after: .milliseconds(800))
        ),
        (
            .listed(resourceVersion: "11"), 1, .watchBroke, .listed(resourceVersion: "11"),
            .watch(from: "11", after: .milliseconds(1600))
        ),
        // The server's own timeout: resume at once.
        (
            .watching(resourceVersion: "12"), 0, .watchEnded, .listed(resourceVersion: "12"),
            .watch(from: "12", after: .zero)
        ),
        // 410: relist at once, from any state.
        (.watching(resourceVersion: "12"), 0, .gone, .listing, .list(after: .zero)),
        (.listed(resourceVersion: "12"), 3, .gone, .listing, .list(after: .zero)),
        // Refused (403, bad decode): relist after a backoff.
        (.watching(resourceVersion: "12"), 0, .watchRefused, .listing, .list(after: .milliseconds(800))),
        // Inputs that do not apply are ignored.
        (.empty, 0, .event(resourceVersion: "5"), .empty, .none),
        (.listing, 0, .watchEnded, .listing, .none),
        (.watching(resourceVersion: "1"), 0, .start, .watching(resourceVersion: "1"), .none),
    ]

    @Test(arguments: transitions)
    func transition(from: M.State, failures: Int, input: M.Input, to: M.State, action: M.Action) {
        var machine = M(state: from, failures: failures)
        #expect(machine.step(input, jitter: 0) == action)
        #expect(machine.state == to)
    }

    @Test func aSuccessfulEventResetsTheBackoff() {
        var machine = M(state: .watching(resourceVersion: "1"), failures: 4)
        _ = machine.step(.event(resourceVersion: "2"), jitter: 0)
        #expect(machine.step(.watchBroke, jitter: 0) == .watch(from: "2", after: .milliseconds(800)))
    }

    @Test(arguments: [
        (0.0, Duration.milliseconds(800)), (0.5, .milliseconds(1200)), (0.999, .nanoseconds(1_599_200_000)),
    ])
    func jitterStretchesTheBackoffUpToTwice(jitter: Double, expected: Duration) {
        var machine = M(state: .listing)
        #expect(machine.step(.listFailed, jitter: jitter) == .list(after: expected))
    }
}
