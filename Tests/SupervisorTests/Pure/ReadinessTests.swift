import Testing

@testable import Shared
@testable import Supervisor

/// `/ready`'s rule over tree and broker states.
@Suite struct ReadinessTests {
    static let specs = [ChildSpec(role: "executor", executable: "/e"), ChildSpec(role: "watcher", executable: "/w")]

    func tree(running: Bool) -> SupervisionTree {
        var tree = SupervisionTree(specs: Self.specs, settings: .init())
        _ = tree.start(now: .zero)
        _ = tree.spawned(ChildID(role: "executor"), pid: 1, now: .zero)
        if running { _ = tree.spawned(ChildID(role: "watcher"), pid: 2, now: .zero) }
        return tree
    }

    func peer(_ role: String, _ pid: Int32, ready: Bool = true, synced: Bool? = nil, api: Bool? = nil) -> Broker.Peer {
        var peer = Broker.Peer(hello: Hello(role: role, pid: pid), lastSeen: .zero)
        peer.ready = ready
        peer.conditions = WorkerConditions(synced: synced, apiReachable: api)
        return peer
    }

    @Test func allUpIsReady() {
        let problems = Readiness.problems(
            children: tree(running: true).children,
            peers: [peer("executor", 1), peer("watcher", 2, synced: true)], routing: true)
        #expect(problems == [])
    }

    @Test(arguments: [
        (false, true, nil, true, "watcher-0 is not running"),
        (true, false, nil, true, "executor-0 is not ready"),
        (true, true, false, true, "API server unreachable (reported by watcher pid 2)"),
        (true, true, nil, false, "shutting down"),
    ])
    func eachProblemIsNamed(watcherRunning: Bool, executorReady: Bool, api: Bool?, routing: Bool, problem: String) {
        let problems = Readiness.problems(
            children: tree(running: watcherRunning).children,
            peers: [peer("executor", 1, ready: executorReady), peer("watcher", 2, synced: true, api: api)],
            routing: routing)
        #expect(problems == [problem])
    }

    @Test func unsyncedWatcherAndMissingConnection() {
        let problems = Readiness.problems(
            children: tree(running: true).children, peers: [peer("watcher", 2, synced: false)], routing: true)
        #expect(
            problems == ["executor-0 has not connected to the broker", "watcher-0 has not finished its initial lists"])
    }
}
