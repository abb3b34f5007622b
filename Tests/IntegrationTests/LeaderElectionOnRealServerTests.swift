import Foundation
import KubeJSON
import Models
import Spawn
import TestSupport
import Testing

/// Two operator trees electing on a real kube-apiserver v1.20.2 (deploy/'s RBAC, the operator's
/// own ServiceAccount), each reaching the server through its own `cut-proxy.py`: tree A's
/// connections leave from 127.0.0.2, tree B's from 127.0.0.3, so the server's audit log
/// (`OMJOB_CP_AUDIT_LOG`) says which tree sent each request, and A's proxy can be cut.
///
/// `OMJOB_HA_TRIALS` (default 1) kill trials of `OMJOB_HA_RUNS` (default 100) runs each; the
/// take-over times are printed (`HA real:` lines), and bounded by lease duration + 2 s.
@Suite(.realControlPlane(environment: ["OMJOB_CP_AUDIT_LOG": "1"]), .serialized, .timeLimit(.minutes(30)))
struct LeaderElectionOnRealServer {
    static let lease = (duration: 4.0, renewDeadline: 3.0, retry: 0.5)
    static let trials = ProcessInfo.processInfo.environment["OMJOB_HA_TRIALS"].flatMap { Int($0) } ?? 1
    static let runs = ProcessInfo.processInfo.environment["OMJOB_HA_RUNS"].flatMap { Int($0) } ?? 100

    @Test func killingTheLeadersTreeHandsOverAndEveryRunEndsWithOneExitHandler() async throws {
        #expect(Self.trials >= 1 && Self.runs >= 2, "OMJOB_HA_TRIALS >= 1, OMJOB_HA_RUNS >= 2")
        var polled: [Double] = []
        var audited: [Double] = []
        for trial in 0..<Self.trials {
            try await OperatorUnderTest.run(on: .real) { run in
                let trees = try await TwoTrees.start(run)
                defer { trees.stopProxies() }
                let names = (0..<Self.runs).map { "ha-\($0)" }
                try await concurrently(names) { try await run.createOMJob($0) }
                try await concurrently(names) { try await run.guardedRunningMainPod($0) }
                let half = names.count / 2
                try await concurrently(Array(names.prefix(half))) {
                    try await run.terminate("\($0)-main", exitCode: 0, reason: "Completed")
                }
                let killedAt = Date()
                run.operatorProcess.killTree()
                // Endings keep arriving while no tree leads.
                async let endings: Void = concurrently(Array(names.dropFirst(half))) {
                    try await run.terminate("\($0)-main", exitCode: 1, reason: "Error")
                }
                let took = try await trees.waitForHolder(trees.identityB, since: killedAt)
                try await endings
                try await concurrently(Array(names.indices)) { index in
                    let name = names[index]
                    let exit = try await run.waitForExitPod(of: name)
                    try await run.finishExitHandler(exit)
                    try await run.expectEnded(
                        name, phase: "Succeeded", reason: index < half ? "Completed" : "Error",
                        pipelineStatus: index < half ? "success" : "failed")
                    #expect(try await run.pods(of: name, type: "exit-handler").count == 1, "one exit pod for \(name)")
                    try await run.expectNoFinalizers(name)
                }
                let audit = try trees.audit()
                let acquired = try #require(
                    audit.first { $0.from == TwoTrees.sourceB && $0.isLeaseWrite && $0.code == 200 },
                    "B's Lease update in the audit log")
                let early = audit.filter {
                    $0.from == TwoTrees.sourceB && $0.isWrite && $0.received < acquired.received
                }
                #expect(early.isEmpty, "the standby wrote before it held the Lease: \(early.prefix(5).map(\.summary))")
                #expect(
                    audit.contains { $0.from == TwoTrees.sourceB && $0.isWrite },
                    "the new leader's writes are in the audit log")
                let byAudit = acquired.received.timeIntervalSince(killedAt)
                polled.append(took)
                audited.append(byAudit)
                print(
                    String(
                        format:
                            "HA real: kill trial %d/%d, %d runs: Lease taken %.2f s after kill -9 (audit), seen %.2f s (polled)",
                        trial + 1, Self.trials, names.count, byAudit, took))
                #expect(byAudit < Self.lease.duration + 2, "within lease duration + 2 s")
            }
        }
        print(
            "HA real: take-over after kill -9 over \(polled.count) trial(s): audit \(Self.summary(audited)); polled \(Self.summary(polled))"
        )
    }

    /// SIGTERM to A, as a rolling update sends it, with runs in flight: A drains, releases the
    /// Lease (an update with an empty holder in the audit log) and B takes it at its next retry.
    @Test func aLeaderStoppedBySIGTERMReleasesTheLeaseAndTheStandbyTakesItAtOnce() async throws {
        try await OperatorUnderTest.run(on: .real) { run in
            let trees = try await TwoTrees.start(run)
            defer { trees.stopProxies() }
            let names = (0..<10).map { "term-\($0)" }
            try await concurrently(names) { try await run.createOMJob($0) }
            try await concurrently(names) { try await run.guardedRunningMainPod($0) }
            let termAt = Date()
            run.operatorProcess.terminate()
            try await concurrently(names) { try await run.terminate("\($0)-main", exitCode: 0, reason: "Completed") }
            let took = try await trees.waitForHolder(trees.identityB, since: termAt)
            for name in names {
                let exit = try await run.waitForExitPod(of: name)
                try await run.finishExitHandler(exit)
                try await run.expectEnded(name, phase: "Succeeded", reason: "Completed", pipelineStatus: "success")
                #expect(try await run.pods(of: name, type: "exit-handler").count == 1, "one exit pod for \(name)")
                try await run.expectNoFinalizers(name)
            }
            let audit = try trees.audit()
            let released = audit.last { $0.from == TwoTrees.sourceA && $0.isLeaseWrite && $0.code == 200 }
            let acquired = try #require(
                audit.first { $0.from == TwoTrees.sourceB && $0.isLeaseWrite && $0.code == 200 }, "B's Lease update")
            #expect(released.map { $0.received <= acquired.received } == true, "A released the Lease before B took it")
            let byAudit = acquired.received.timeIntervalSince(termAt)
            print(
                String(
                    format:
                        "HA real: SIGTERM: Lease taken %.2f s after SIGTERM (audit), seen %.2f s (polled); released by A %.2f s after SIGTERM",
                    byAudit, took, released.map { $0.received.timeIntervalSince(termAt) } ?? -1))
            #expect(byAudit < Self.lease.duration, "a released Lease is taken before it could have expired")
        }
    }

    /// A's proxy cut: A stops writing by its renew deadline, B takes the Lease; once A can reach
    /// the server again it reads (a standby's traffic) and writes nothing.
    @Test func aLeaderCutOffFromTheServerStopsWritingByItsRenewDeadline() async throws {
        try await OperatorUnderTest.run(on: .real) { run in
            let trees = try await TwoTrees.start(run)
            defer { trees.stopProxies() }
            let names = (0..<6).map { "cut-\($0)" }
            try await concurrently(names) { try await run.createOMJob($0) }
            try await concurrently(names) { try await run.guardedRunningMainPod($0) }
            let cutAt = Date()
            trees.proxyA.cut()
            try await concurrently(Array(names.prefix(3))) {
                try await run.terminate("\($0)-main", exitCode: 0, reason: "Completed")
            }
            let took = try await trees.waitForHolder(trees.identityB, since: cutAt)
            _ = try await until("A saying it stopped leading", timeout: 20) {
                run.operatorProcess.log.contains("no longer leading") ? true : nil
            }
            let healedAt = Date()
            trees.proxyA.heal()
            try await concurrently(Array(names.dropFirst(3))) {
                try await run.terminate("\($0)-main", exitCode: 1, reason: "Error")
            }
            for (index, name) in names.enumerated() {
                let exit = try await run.waitForExitPod(of: name)
                try await run.finishExitHandler(exit)
                try await run.expectEnded(
                    name, phase: "Succeeded", reason: index < 3 ? "Completed" : "Error",
                    pipelineStatus: index < 3 ? "success" : "failed")
                #expect(try await run.pods(of: name, type: "exit-handler").count == 1, "one exit pod for \(name)")
                try await run.expectNoFinalizers(name)
            }
            // A reaches the server again: its reads arrive, its writes must not.
            _ = try await until("A's requests after the heal in the audit log", timeout: 20) {
                try trees.audit().contains { $0.from == TwoTrees.sourceA && $0.received > healedAt } ? true : nil
            }
            let audit = try trees.audit()
            let deadline = cutAt.addingTimeInterval(Self.lease.renewDeadline)
            let late = audit.filter {
                $0.from == TwoTrees.sourceA && ($0.isWrite || $0.isLeaseWrite) && $0.received > deadline
            }
            #expect(
                late.isEmpty,
                "writes from the cut-off leader after its renew deadline: \(late.prefix(5).map(\.summary))")
            let lastWrite = audit.last { $0.from == TwoTrees.sourceA && ($0.isWrite || $0.isLeaseWrite) }
            let readsAfterHeal = audit.filter { $0.from == TwoTrees.sourceA && $0.received > healedAt }.count
            let refused = trees.proxyA.logEvents("refused")
            print(
                String(
                    format:
                        "HA real: cut: Lease taken %.2f s after the cut; A's last write %.2f s after the cut; A: %d requests after the heal, none a write; %d connections refused while cut",
                    took, lastWrite.map { $0.received.timeIntervalSince(cutAt) } ?? -1, readsAfterHeal, refused))
            #expect(took >= Self.lease.renewDeadline, "B waited past A's renew deadline")
            #expect(refused > 0, "A kept trying to reach the server while cut")
            #expect(!run.secondOperator.log.contains("no longer leading"), "B kept the lead")
        }
    }

    static func summary(_ times: [Double]) -> String {
        let sorted = times.sorted()
        guard !sorted.isEmpty else { return "no trials" }
        return String(format: "p50 %.2f s, max %.2f s", sorted[(sorted.count - 1) / 2], sorted.last!)
    }
}

/// Runs `body` for every element, `width` at a time.
func concurrently<Item: Sendable>(
    _ items: [Item], width: Int = 10, _ body: @escaping @Sendable (Item) async throws -> Void
) async throws {
    try await withThrowingTaskGroup(of: Void.self) { group in
        var active = 0
        for item in items {
            if active >= width {
                try await group.next()
                active -= 1
            }
            group.addTask { try await body(item) }
            active += 1
        }
        try await group.waitForAll()
    }
}

/// Trees A and B of one scenario, each behind its own proxy, on one Lease; A leads first.
struct TwoTrees: Sendable {
    static let sourceA = "127.0.0.2"
    static let sourceB = "127.0.0.3"
    let run: OperatorUnderTest
    let plane: RealControlPlane
    let leaseName: String
    let identityA: String
    let identityB: String
    let proxyA: CutProxy
    let proxyB: CutProxy

    static let leases = ResourceType(group: "coordination.k8s.io", version: "v1", kind: "Lease", plural: "leases")

    static func start(_ run: OperatorUnderTest) async throws -> TwoTrees {
        let cluster = try #require(run.cluster as? RealCluster)
        let plane = cluster.plane
        run.stopOperator()
        let upstream = String(plane.url.dropFirst("https://".count))
        let proxyA = try CutProxy(upstream: upstream, sourceIP: sourceA, directory: run.directory, name: "proxy-a")
        let proxyB: CutProxy
        do {
            proxyB = try CutProxy(upstream: upstream, sourceIP: sourceB, directory: run.directory, name: "proxy-b")
        } catch {
            proxyA.stop()
            throw error
        }
        let trees = TwoTrees(
            run: run, plane: plane, leaseName: "ha-\(cluster.namespace)", identityA: "tree-a-\(cluster.namespace)",
            identityB: "tree-b-\(cluster.namespace)", proxyA: proxyA, proxyB: proxyB)
        do {
            try trees.startTree(
                run.operatorProcess, proxy: try await proxyA.port(), identity: trees.identityA, name: "a")
            _ = try await trees.waitForHolder(trees.identityA, since: Date(), timeout: 60)
            try trees.startTree(
                run.secondOperator, proxy: try await proxyB.port(), identity: trees.identityB, name: "b")
            _ = try await until("B ready (a synced standby)") { () -> Bool? in
                guard let port = run.secondOperator.healthPort else { return nil }
                return (try? LoopbackHTTP.get(port: port, path: "/ready").status) == 200 ? true : nil
            }
            #expect(try await trees.holder() == trees.identityA, "the standby does not take a held Lease")
        } catch {
            trees.stopProxies()
            throw error
        }
        return trees
    }

    private func startTree(_ process: OperatorProcess, proxy port: Int, identity: String, name: String) throws {
        let directory = run.directory + "/" + name
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let kubeconfig = directory + "/kubeconfig"
        try OperatorKubeconfig.text(
            server: "https://127.0.0.1:\(port)", certificateAuthority: plane.certificateAuthority,
            token: plane.operatorToken, namespace: run.cluster.namespace
        )
        .write(toFile: kubeconfig, atomically: true, encoding: .utf8)
        try process.start(
            kubeconfig: kubeconfig, directory: directory,
            settings: run.operatorSettings.merging([
                "LEASE_NAME": leaseName, "POD_NAME": identity, "LOG_LEVEL": "INFO",
            ]) { _, new in new })
    }

    func holder() async throws -> String? {
        let lease = try await plane.admin.get(
            JSONValue.self, resource: Self.leases, namespace: RealControlPlane.operatorNamespace, name: leaseName)
        return lease["spec"]?["holderIdentity"]?.stringValue
    }

    /// Seconds from `since` until the Lease names `identity`, polled every 50 ms.
    func waitForHolder(_ identity: String, since: Date, timeout: Double = 30) async throws -> Double {
        _ = try await until("the Lease held by \(identity)", timeout: timeout) {
            try await holder() == identity ? true : nil
        }
        return Date().timeIntervalSince(since)
    }

    /// The server's audit events of this scenario's Lease and namespace, in the order received.
    func audit() throws -> [AuditEvent] {
        let namespace = run.cluster.namespace
        return try AuditEvent.read(plane.state + "/logs/audit.log")
            .filter { $0.uri.contains("/namespaces/\(namespace)/") || $0.uri.contains("/leases/\(leaseName)") }
    }

    func stopProxies() {
        proxyA.stop()
        proxyB.stop()
    }
}

/// scripts/control-plane/cut-proxy.py for one tree: forwards to the API server from its own
/// source address until cut.
final class CutProxy: Sendable {
    let process: SpawnedProcess
    let portFile: String
    let logFile: String

    init(upstream: String, sourceIP: String, directory: String, name: String) throws {
        portFile = directory + "/\(name).port"
        logFile = directory + "/\(name).log"
        // Spawning appends to existing files only.
        for file in [portFile, logFile] { _ = FileManager.default.createFile(atPath: file, contents: nil) }
        let script = Paths.root.appendingPathComponent("scripts/control-plane/cut-proxy.py").path
        // python3 from PATH (CI's may be pyenv's), through env: spawning searches no PATH.
        process = try SpawnedProcess(
            executable: "/usr/bin/env",
            arguments: ["python3", script, upstream, "--source-ip", sourceIP, "--log", logFile],
            environment: ProcessInfo.processInfo.environment, stdout: .file(portFile), stderr: .file(logFile))
    }

    func port() async throws -> Int {
        try await until("\(portFile)", timeout: 20) {
            (try? String(contentsOfFile: portFile, encoding: .utf8)).flatMap {
                Int($0.trimmingCharacters(in: .whitespacesAndNewlines))
            }
        }
    }

    func cut() { process.signal(SIGUSR1) }
    func heal() { process.signal(SIGUSR2) }

    func stop() {
        process.signal(SIGTERM)
        if process.waitExit(timeout: 5) == nil {
            process.signal(SIGKILL)
            _ = process.waitExit(timeout: 5)
        }
    }

    /// How many events of `kind` the proxy logged.
    func logEvents(_ kind: String) -> Int {
        let text = (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").filter { $0.contains("\"event\": \"\(kind)\"") }.count
    }
}
