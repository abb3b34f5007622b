import KubeAPI
import Testing

@testable import BrokerProtocol
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

    /// What the chart's RBAC lacks: nodes (three verbs, cluster-wide) and, in this test, events.
    static let chartLacks = OperatorPermissions.all(namespaces: ["pipelines"]).filter {
        $0.resource == "nodes" || $0.resource == "events"
    }

    /// Missing optional permissions keep the operator ready (200), and its body names each one,
    /// the verbs on one resource together, with what the operator does without it.
    @Test func aReadyBodyNamesEachMissingOptionalPermissionAndItsCost() throws {
        var watcher = peer("watcher", 2, synced: true)
        watcher.conditions.missingPermissions = Self.chartLacks
        let peers = [peer("executor", 1), watcher]
        #expect(Readiness.problems(children: tree(running: true).children, peers: peers, routing: true) == [])
        let body = Readiness.readyBody(missingPermissions: Readiness.missingPermissions(peers: peers))
        let nodes = try #require(Self.chartLacks.first { $0.resource == "nodes" })
        let events = try #require(Self.chartLacks.first { $0.resource == "events" })
        #expect(
            body == """
                ready
                missing optional permission: create events in pipelines (\(events.withoutIt))
                missing optional permission: list, watch, get nodes (cluster-wide) (\(nodes.withoutIt))

                """)
        #expect(nodes.withoutIt.contains("node loss") && events.withoutIt.contains("runs still end"))
    }

    @Test func withNothingMissingTheReadyBodyIsOneWord() {
        #expect(Readiness.readyBody(missingPermissions: []) == "ready\n")
    }

    /// A required one is a 503 problem, never a line of a ready body.
    @Test func aMissingRequiredPermissionIsAProblemNotAReadyLine() {
        let pods = Permission("create", "pods", namespace: "p", required: true, withoutIt: "OMJobs are not run")
        var watcher = peer("watcher", 2, synced: true)
        watcher.conditions.missingPermissions = Self.chartLacks + [pods]
        let peers = [peer("executor", 1), watcher]
        #expect(
            Readiness.problems(children: tree(running: true).children, peers: peers, routing: true)
                == ["missing permission: create pods in p (OMJobs are not run)"])
        #expect(!Readiness.readyBody(missingPermissions: [pods]).contains("pods"))
    }

    @Test func unsyncedWatcherAndMissingConnection() {
        let problems = Readiness.problems(
            children: tree(running: true).children, peers: [peer("watcher", 2, synced: false)], routing: true)
        #expect(
            problems == ["executor-0 has not connected to the broker", "watcher-0 has not finished its initial lists"])
    }
}
