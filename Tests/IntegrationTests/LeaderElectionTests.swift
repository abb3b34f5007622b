import Foundation
import KubeJSON
import KubeSim
import Synchronization
import TestSupport
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
    static func withTwoTrees(_ body: @escaping (OperatorUnderTest, SimulatedCluster, Traffic) async throws -> Void)
        async throws
    {
        try await OperatorUnderTest.run(on: .kubesim) { run in
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
            try await expectLeadership(
                leader: run.operatorProcess, standby: run.secondOperator, holder: try #require(first))
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

    /// One tree's `/info` `leader` object and its `/metrics` text.
    static func leadership(of process: OperatorProcess) async throws -> (leader: [String: Any], metrics: String) {
        let port = try await until("the tree's health port") { process.healthPort }
        let body = try LoopbackHTTP.get(port: port, path: "/info").body
        let info = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
        let leader = try #require(info?["leader"] as? [String: Any], "/info has a leader object: \(body)")
        return (leader, try #require(MetricsProbe.text(port: port), "/metrics answers"))
    }

    /// What shows who leads, on both trees: `/info`'s `leader` object (elected, leading, the holder
    /// as read, identity, transitions) and the metrics `omjob_leader`,
    /// `omjob_leader_transitions_total`, `omjob_leader_last_renew_timestamp_seconds`.
    static func expectLeadership(leader: OperatorProcess, standby: OperatorProcess, holder: String) async throws {
        // The standby reads the holder at its next retry.
        let (led, stood) = try await until("both trees reporting \(holder) as the holder", timeout: 15) {
            let both = (try await leadership(of: leader), try await leadership(of: standby))
            return both.0.leader["holder"] as? String == holder && both.1.leader["holder"] as? String == holder
                ? both : nil
        }
        let lease = "default/omjob-operator"
        for (tree, leading) in [(led, true), (stood, false)] {
            let who = leading ? "the leader" : "the standby"
            #expect(tree.leader["elected"] as? Bool == true, "\(who) is elected: \(tree.leader)")
            #expect(tree.leader["leading"] as? Bool == leading, "\(who): \(tree.leader)")
            #expect(tree.leader["lease"] as? String == lease, "\(who): \(tree.leader)")
            #expect((tree.leader["identity"] as? String == holder) == leading, "\(who): \(tree.leader)")
            #expect(tree.leader["transitions"] as? Int == (leading ? 1 : 0), "\(who): \(tree.leader)")
            #expect(tree.leader["notElectedBecause"] == nil, "\(who): \(tree.leader)")
            #expect(
                MetricsProbe.value(tree.metrics, "omjob_leader", ["lease": lease, "elected": "true"])
                    == (leading ? 1 : 0), "\(who): omjob_leader")
            #expect(
                MetricsProbe.value(tree.metrics, "omjob_leader_transitions_total", [:]) == (leading ? 1 : 0),
                "\(who): omjob_leader_transitions_total")
        }
        // The leader renews every retry period (0.5 s); the standby has never renewed.
        let renewed = try #require(MetricsProbe.value(led.metrics, "omjob_leader_last_renew_timestamp_seconds", [:]))
        #expect(abs(Date().timeIntervalSince1970 - renewed) < 5, "the leader renewed within 5 s: \(renewed)")
        #expect(MetricsProbe.value(stood.metrics, "omjob_leader_last_renew_timestamp_seconds", [:]) == 0)
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
            // The Lease names the new holder once the server applied its update; the tree knows it leads
            // once the answer reached it, a moment later on a loaded machine.
            let taken = try await until("the standby reporting that it leads", timeout: 5) {
                let seen = try await Self.leadership(of: run.secondOperator)
                return seen.leader["leading"] as? Bool == true ? seen : nil
            }
            #expect(taken.leader["leading"] as? Bool == true, "the standby leads now: \(taken.leader)")
            #expect(taken.leader["transitions"] as? Int == 1)
            #expect(MetricsProbe.value(taken.metrics, "omjob_leader", ["elected": "true"]) == 1)
            #expect(MetricsProbe.value(taken.metrics, "omjob_leader_transitions_total", [:]) == 1)
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

    /// Without `leases` permission (the server answers every Lease request 403, as under
    /// OpenMetadata's chart) the tree runs unelected: it says so once at WARN, however many
    /// retry periods pass, `/info` shows `elected: false` with the reason, it writes
    /// (`omjob_leader{elected="false"}` 1), and its runs go on.
    @Test func withoutLeasePermissionTheTreeRunsUnelectedAndSaysSoOnce() async throws {
        try await OperatorUnderTest.run(on: .kubesim) { run in
            let sim = try #require(run.cluster as? SimulatedCluster)
            sim.sim.interceptor = { request in
                request.path.contains("/leases")
                    ? .respond(
                        KubeAPIError(
                            code: 403, reason: "Forbidden",
                            message:
                                "leases.coordination.k8s.io is forbidden: User \"system:serviceaccount:default:omjob-operator\" cannot get resource \"leases\"",
                            group: "coordination.k8s.io", kind: "leases"))
                    : nil
            }
            let line = "not leader-elected: every replica of this operator writes"
            let (leader, metrics) = try await until("/info saying elected false", timeout: 30) {
                let seen = try await Self.leadership(of: run.operatorProcess)
                return seen.leader["elected"] as? Bool == false ? seen : nil
            }
            #expect(leader["leading"] as? Bool == true, "an unelected tree writes: \(leader)")
            let reason = try #require(leader["notElectedBecause"] as? String, "\(leader)")
            #expect(reason.contains("403") && reason.contains("leases"), "\(reason)")
            #expect(MetricsProbe.value(metrics, "omjob_leader", ["elected": "false"]) == 1)
            #expect(MetricsProbe.value(metrics, "omjob_leader", ["elected": "true"]) == nil)
            // Twelve retry periods later, and after a run is guarded, still one line.
            try await run.createOMJob("unelected")
            try await run.guardedRunningMainPod("unelected")
            try await Task.sleep(for: .seconds(Self.lease.retry * 12))
            let said = run.operatorProcess.log.components(separatedBy: line).count - 1
            #expect(said == 1, "logged \(said) times")
            let warned = run.operatorProcess.log.split(separator: "\n").filter { $0.contains(line) }
            #expect(warned.allSatisfy { $0.contains("\"level\":\"warning\"") }, "\(warned)")
        }
    }
}
