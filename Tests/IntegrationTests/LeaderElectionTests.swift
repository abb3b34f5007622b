import Foundation
import KubeJSON
import KubeSim
import Synchronization
import Testing

/// Two operator trees on one kubesim, electing on the Lease: the standby writes nothing; it
/// takes over within the lease duration + 2 s when the leader's tree is killed with kill -9, at
/// its next retry when the leader gets SIGTERM; a leader cut off from the server stops writing
/// before the renew deadline is past. The second tree reaches kubesim as `localhost`, the first
/// as `127.0.0.1`, so the request log tells their requests apart by the Host header.
///
/// Timings come from `OperatorUnderTest.fastSettings` (lease 4 s, renew deadline 3 s, retry
/// 0.5 s); the figures each test measures are printed, and bounded only generously.
@Suite(.serialized, .timeLimit(.minutes(4)))
struct LeaderElectionTests {
    static let lease = (duration: 4.0, renewDeadline: 3.0, retry: 0.5)

    /// One request as the server saw it.
    struct Seen: Sendable {
        var at: Date
        var method: String
        var path: String
        var fromSecond: Bool
        /// Changes state: not a read, a watch, the Lease or a SelfSubjectAccessReview.
        var isWrite: Bool { method != "GET" && !path.contains("/leases") && !path.contains("selfsubjectaccessreviews") }
    }

    /// The server's request log, and whether the first tree is cut off.
    final class Traffic: Sendable {
        let seen = Mutex<[Seen]>([])
        let cutFirst = Mutex(false)
    }

    /// Runs `body` with both trees started (the first leads) and the server's traffic.
    static func withTwoTrees(_ body: @escaping (ScenarioRun, SimulatedCluster, Traffic) async throws -> Void)
        async throws
    {
        try await ScenarioRun.run(on: .kubesim) { run in
            let sim = try #require(run.cluster as? SimulatedCluster)
            let traffic = Traffic()
            sim.sim.interceptor = { request in
                let second = request.headers["host"]?.hasPrefix("localhost") == true
                traffic.seen.withLock {
                    $0.append(Seen(at: Date(), method: request.method, path: request.path, fromSecond: second))
                }
                if !second, traffic.cutFirst.withLock({ $0 }) { return .reset }
                return nil
            }
            _ = try await holder(sim, is: { $0 != nil && !$0!.isEmpty }, "the first tree leading")
            let first = try await holder(sim, is: { _ in true }, "")
            let kubeconfig = run.directory + "/kubeconfig-localhost"
            try OperatorKubeconfig.text(
                server: "\(sim.sim.baseURL)".replacingOccurrences(of: "127.0.0.1", with: "localhost"),
                certificateAuthority: nil, token: SimulatedCluster.token, namespace: sim.namespace
            )
            .write(toFile: kubeconfig, atomically: true, encoding: .utf8)
            try run.startSecondOperator(kubeconfig: kubeconfig)
            _ = try await until("the second tree's informers synced") {
                run.secondOperator.log.contains("\"watching\"") || run.secondOperator.log.contains("watching")
                    ? true : nil
            }
            #expect(try await holder(sim, is: { _ in true }, "") == first, "the standby does not take a held Lease")
            try await body(run, sim, traffic)
        }
    }

    /// The Lease's holder once `condition` holds for it.
    static func holder(_ sim: SimulatedCluster, is condition: (String?) -> Bool, _ what: String, timeout: Double = 30)
        async throws -> String?
    {
        try await until(what.isEmpty ? "the Lease" : what, timeout: timeout) { () -> String?? in
            let lease = try? sim.sim.store.get(.leases, namespace: "default", name: "omjob-operator")
            let holder = lease?["spec"]?["holderIdentity"]?.stringValue
            return condition(holder) ? .some(holder) : nil
        }
    }

    /// Polls until the Lease names a holder other than `old` (and not empty); seconds taken.
    static func handOver(_ sim: SimulatedCluster, from old: String?, since start: Date, timeout: Double = 30)
        async throws -> Double
    {
        _ = try await holder(sim, is: { $0 != nil && !$0!.isEmpty && $0 != old }, "a new holder", timeout: timeout)
        return Date().timeIntervalSince(start)
    }

    static func summary(_ times: [Double]) -> String {
        let sorted = times.sorted()
        return String(
            format: "p50 %.2f s, max %.2f s over %d", sorted[sorted.count / 2], sorted.last ?? 0, sorted.count)
    }

    @Test func theStandbyWritesNothingAndTakesOverAfterTheLeaderIsKilled() async throws {
        try await Self.withTwoTrees { run, sim, traffic in
            let names = (0..<12).map { "ha-\($0)" }
            for name in names { try await run.createOMJob(name) }
            for name in names { try await run.guardedRunningMainPod(name) }
            // Half end before the kill, half after: endings arrive while the leader dies.
            for name in names.prefix(6) { try await run.terminate("\(name)-main", exitCode: 0, reason: "Completed") }
            let old = try await Self.holder(sim, is: { _ in true }, "")
            #expect(
                traffic.seen.withLock { $0.filter { $0.fromSecond && $0.isWrite } }.isEmpty,
                "the standby wrote while the first tree led")
            let killedAt = Date()
            run.operatorProcess.killTree()
            for name in names.dropFirst(6) { try await run.terminate("\(name)-main", exitCode: 1, reason: "Error") }
            let takeOver = try await Self.handOver(sim, from: old, since: killedAt)
            print(
                "take-over after kill -9 of the leader's tree: \(String(format: "%.2f", takeOver)) s (lease \(Self.lease.duration) s)"
            )
            #expect(
                takeOver < Self.lease.duration + 2 + 3, "within the lease duration + 2 s (+3 s for a loaded machine)")
            for (index, name) in names.enumerated() {
                let exit = try await run.waitForExitPod(of: name)
                try await run.finishExitHandler(exit)
                try await run.expectEnded(
                    name, phase: "Succeeded", reason: index < 6 ? "Completed" : "Error",
                    pipelineStatus: index < 6 ? "success" : "failed")
                #expect(try await run.pods(of: name, type: "exit-handler").count == 1, "one exit pod for \(name)")
                try await run.expectNoFinalizers(name)
            }
        }
    }

    /// kill -9 and SIGTERM trials, alternating which tree leads; the figures go to the docs.
    @Test func takeOverTimesAfterKillAndAfterSIGTERM() async throws {
        try await Self.withTwoTrees { run, sim, _ in
            var kills: [Double] = []
            var terms: [Double] = []
            var leader = run.operatorProcess
            var standby = run.secondOperator
            for trial in 0..<6 {
                let old = try await Self.holder(sim, is: { $0 != nil && !$0!.isEmpty }, "a holder")
                let start = Date()
                if trial % 2 == 0 { leader.killTree() } else { leader.terminate() }
                let took = try await Self.handOver(sim, from: old, since: start)
                if trial % 2 == 0 { kills.append(took) } else { terms.append(took) }
                leader.stop()
                // The stopped tree comes back as the standby, on its own kubeconfig and directory.
                let directory = run.directory + "/trial-\(trial)"
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                try leader.start(
                    kubeconfig: run.directory + "/kubeconfig", directory: directory,
                    settings: OperatorUnderTest.fastSettings.merging(sim.operatorSettings) { _, new in new })
                _ = try await until("the restarted tree up") { leader.healthPort }
                swap(&leader, &standby)
            }
            print("take-over after kill -9: \(Self.summary(kills)); after SIGTERM: \(Self.summary(terms))")
            #expect(kills.allSatisfy { $0 < Self.lease.duration + 2 + 3 })
            #expect(terms.allSatisfy { $0 < Self.lease.retry + 2 + 3 }, "a released Lease is taken at the next retry")
        }
    }

    /// The leader's connections reset from now on: it stops writing before its renew deadline
    /// has passed (nothing it sends later), and the standby takes the Lease.
    @Test func aLeaderCutOffFromTheServerStopsWritingBeforeTheStandbyTakesOver() async throws {
        try await Self.withTwoTrees { run, sim, traffic in
            let old = try await Self.holder(sim, is: { _ in true }, "")
            let cutAt = Date()
            traffic.cutFirst.withLock { $0 = true }
            // Work that only the leader's open watches see at first: it tries to write it.
            for index in 0..<4 { try await run.createOMJob("cut-\(index)") }
            let takeOver = try await Self.handOver(sim, from: old, since: cutAt)
            print("take-over after the leader was cut off: \(String(format: "%.2f", takeOver)) s")
            try await Task.sleep(for: .seconds(2))
            let late = traffic.seen.withLock {
                $0.filter {
                    !$0.fromSecond && $0.isWrite && $0.at.timeIntervalSince(cutAt) > Self.lease.renewDeadline + 0.2
                }
            }
            #expect(
                late.isEmpty,
                "writes from the cut-off leader after its renew deadline: \(late.map { "\($0.method) \($0.path)" })")
            #expect(takeOver >= Self.lease.renewDeadline, "the standby waited past the old leader's renew deadline")
            for index in 0..<4 { try await run.guardedRunningMainPod("cut-\(index)") }
        }
    }
}
