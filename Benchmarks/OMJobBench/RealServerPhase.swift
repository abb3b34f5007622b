import BenchHarness
import Foundation
import KubeAPI
import KubeJSON
import Models

/// `--server real`: the operator tree against the project's real kube-apiserver v1.20.2
/// (HTTPS, token), measured from outside as a kubelet sees it, beside the floor on the same
/// server in the same run. For each number of runs in flight, the operator's runs first, then
/// the floor's (the tree stays up, idle: it watches only its own namespace).
///
/// Latency of one run: from the main pod's terminal status arriving on a watch of the pods to
/// the exit pod's ADDED on the same watch (``KubeletStandIn`` writes the statuses and watches).
enum RealServerPhase {
    static let namespace = "bench"
    static let floorNamespace = "floor"
    /// Seconds each exit pod runs before the stand-in reports it Succeeded.
    static let exitSeconds = 0.1
    /// The watcher's own measure of its part: from seeing the change that ends the main pod to the
    /// API server's 201 for the exit pod.
    static let insideHistogram = "omjob_exit_handler_start_latency_seconds"
    /// Seconds the ready tree is watched doing nothing, for its CPU at rest.
    static let idleSeconds = 5.0

    static func run(
        levels: [Int], runs: Int, runSeconds: Double, settings: [String: String], output: String?
    ) async throws {
        var result = RealServerResult(
            runs: runs, mainSeconds: runSeconds, cores: MachineLoad.cores, loadAverageBefore: MachineLoad.loadAverage)
        let started = ContinuousClock.now
        let server = try await ControlPlaneServer.start()
        result.controlPlaneStartSeconds = (ContinuousClock.now - started).milliseconds / 1000
        do {
            try await measure(
                server: server, levels: levels, runs: runs, runSeconds: runSeconds, settings: settings,
                into: &result)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
        result.loadAverageAfter = MachineLoad.loadAverage
        print(result.table)
        let path = try result.write(to: output ?? RepositoryPaths.results + "/omjob-bench-real.json")
        print("JSON: \(path)")
    }

    private static func measure(
        server: ControlPlaneServer, levels: [Int], runs: Int, runSeconds: Double, settings: [String: String],
        into result: inout RealServerResult
    ) async throws {
        let (client, loop) = try server.client()
        defer { loop.stopAndWait() }
        for name in [namespace, floorNamespace] {
            let object: JSONValue = ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(name)]]
            try await client.create(
                object, resource: ResourceType(group: "", version: "v1", kind: "Namespace", plural: "namespaces"),
                namespace: nil, name: name, answer: Unread.self)
        }
        let directory = try RepositoryPaths.temporaryDirectory(prefix: "omjob-bench-real")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let tree = try OperatorTree(
            directory: directory, kubeconfig: server.kubeconfig, namespace: namespace, settings: settings)
        try tree.start()
        defer { tree.stop() }
        try await tree.waitUntilReady(timeout: 120)
        try await Task.sleep(for: .seconds(2))
        // At rest (Lease renewals, timers): the part of each level's CPU that is not the runs'.
        tree.sample()
        let idleBefore = tree.sampler.cpuSeconds
        try await Task.sleep(for: .seconds(idleSeconds))
        tree.sample()
        result.idleTreeCPUMillisecondsPerSecond = (tree.sampler.cpuSeconds - idleBefore) / idleSeconds * 1000
        for level in levels {
            let prefix = "l\(level)-"
            tree.sample()
            let cpuBefore = tree.sampler.cpuSeconds
            let roleCPUBefore = tree.sampler.cpuSecondsByCommand
            let window = ContinuousClock.now
            let insideBefore = tree.histogramTotals(insideHistogram)
            let ours = try await measureRuns(
                server: server, namespace: namespace, prefix: prefix, runs: runs, inFlight: level,
                runSeconds: runSeconds, omJobs: true
            ) { index in
                try await client.create(
                    OMJobFactory.omJob(prefix + String(index), namespace: namespace), resource: OMJob.resourceType,
                    namespace: namespace, name: prefix + String(index), answer: Unread.self)
            }
            var inside = 0.0
            if let before = insideBefore, let after = tree.histogramTotals(insideHistogram), after.count > before.count
            {
                inside = (after.sum - before.sum) / (after.count - before.count) * 1000
            }
            tree.sample()
            let cpu = tree.sampler.cpuSeconds - cpuBefore
            let rest =
                result.idleTreeCPUMillisecondsPerSecond / 1000 * (ContinuousClock.now - window).milliseconds / 1000
            let byProcess = tree.sampler.cpuSecondsByCommand.mapValues { $0 / Double(runs) * 1000 }
                .merging(roleCPUBefore.mapValues { -$0 / Double(runs) * 1000 }, uniquingKeysWith: +)
            let floor = try await measureRuns(
                server: server, namespace: floorNamespace, prefix: prefix, runs: runs, inFlight: level,
                runSeconds: runSeconds, omJobs: false
            ) { index in
                let pod = FloorClient.floorPod(prefix + String(index), type: "main", namespace: floorNamespace)
                try await client.create(
                    pod, resource: PodView.resourceType, namespace: floorNamespace, name: nil, answer: Unread.self)
            }
            result.levels.append(
                RealServerResult.Level(
                    inFlight: level, operator: ours, floor: floor, operatorInsideMeanMilliseconds: inside,
                    treeCPUMillisecondsPerRun: cpu / Double(runs) * 1000,
                    treeCPUMillisecondsPerRunBeyondRest: max(0, cpu - rest) / Double(runs) * 1000,
                    cpuMillisecondsPerRunByProcess: byProcess))
        }
    }

    /// One side's figures at one number in flight.
    struct Measured: Encodable {
        var latency: LatencySummary
        var meanMilliseconds: Double
        var runsPerSecond: Double
        /// The floor's creates alone (request sent → answer read), mean; nil for the operator.
        var createMeanMilliseconds: Double?
    }

    /// Runs `runs` runs `inFlight` at a time in `namespace` with the stand-in kubelet (and, for
    /// the floor, the floor client) watching; their latencies and pace.
    private static func measureRuns(
        server: ControlPlaneServer, namespace: String, prefix: String, runs: Int, inFlight: Int, runSeconds: Double,
        omJobs: Bool, submit: (Int) async throws -> Void
    ) async throws -> Measured {
        let recorder = RunRecorder(runPrefix: prefix)
        let kubelet = try KubeletStandIn(
            server: server, namespace: namespace, recorder: recorder, mainSeconds: runSeconds,
            exitSeconds: exitSeconds, omJobs: omJobs)
        let floor = omJobs ? nil : try RealFloorClient(server: server, namespace: namespace)
        // The watches open before the first run is submitted.
        try await Task.sleep(for: .seconds(1))
        do {
            let elapsed = try await Submitter.run(
                total: runs, inFlight: inFlight, submit: submit, finished: { recorder.finished })
            await floor?.stop()
            await kubelet.stop()
            let latencies = recorder.exitStartLatencies
            return Measured(
                latency: LatencySummary(latencies), meanMilliseconds: mean(latencies),
                runsPerSecond: Double(runs) / (elapsed.milliseconds / 1000),
                createMeanMilliseconds: floor.map { mean($0.createMilliseconds) })
        } catch {
            await floor?.stop()
            await kubelet.stop()
            throw error
        }
    }

    static func mean(_ values: [Double]) -> Double { values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count) }
}

/// Every figure of one `omjob-bench --server real` run.
struct RealServerResult: Encodable {
    struct Level: Encodable {
        var inFlight: Int
        var `operator`: RealServerPhase.Measured
        var floor: RealServerPhase.Measured
        /// The watcher's histogram over the level: change seen → 201 for the exit pod, mean.
        var operatorInsideMeanMilliseconds: Double
        var treeCPUMillisecondsPerRun: Double
        /// The same less what the tree spends at rest over the level's wall time.
        var treeCPUMillisecondsPerRunBeyondRest: Double
        /// The tree's CPU per run by process name (the executors summed).
        var cpuMillisecondsPerRunByProcess: [String: Double]
        /// The operator's latency over the floor's, at p50 and p99 (0 when the floor has none).
        var ratioP50: Double { Self.ratio(`operator`.latency.p50, floor.latency.p50) }
        var ratioP99: Double { Self.ratio(`operator`.latency.p99, floor.latency.p99) }

        static func ratio(_ ours: Double, _ floor: Double) -> Double { floor > 0 ? ours / floor : 0 }
    }

    var server = "kube-apiserver v1.20.2 (scripts/control-plane), HTTPS, admin token"
    var runs: Int
    var mainSeconds: Double
    var exitSeconds = RealServerPhase.exitSeconds
    var cores: Int
    var loadAverageBefore: String
    var loadAverageAfter = ""
    var controlPlaneStartSeconds = 0.0
    var idleTreeCPUMillisecondsPerSecond = 0.0
    var levels: [Level] = []

    var table: String {
        var lines = [
            "omjob-bench --server real: \(server); \(runs) runs per level, main pods run \(BenchResult.number(mainSeconds)) s, \(cores) cores",
            "load average before \(loadAverageBefore), after \(loadAverageAfter); control plane started in \(BenchResult.number(controlPlaneStartSeconds)) s",
            "exit-handler start: main pod's terminal status seen on a pod watch → exit pod's ADDED on the same watch",
            "tree CPU at rest \(BenchResult.number(idleTreeCPUMillisecondsPerSecond)) ms per second",
        ]
        for level in levels {
            lines.append("")
            lines.append("\(level.inFlight) in flight")
            lines.append("  operator  " + BenchResult.latency(level.operator.latency))
            lines.append("  floor     " + BenchResult.latency(level.floor.latency))
            lines.append(
                "  tree CPU  \(BenchResult.number(level.treeCPUMillisecondsPerRun)) ms per run, \(BenchResult.number(level.treeCPUMillisecondsPerRunBeyondRest)) ms beyond its CPU at rest"
            )
            lines.append(
                "  means     operator \(BenchResult.number(level.operator.meanMilliseconds)) ms, of which the tree (change seen → 201) \(BenchResult.number(level.operatorInsideMeanMilliseconds)) ms; floor \(BenchResult.number(level.floor.meanMilliseconds)) ms, of which its create \(BenchResult.number(level.floor.createMeanMilliseconds ?? 0)) ms"
            )
            lines.append(
                "  by process "
                    + level.cpuMillisecondsPerRunByProcess.sorted { $0.key < $1.key }.map {
                        "\($0.key) \(BenchResult.number($0.value))"
                    }.joined(separator: ", ") + " ms per run")
            lines.append(
                "  ratio     p50 \(BenchResult.number(level.ratioP50))  p99 \(BenchResult.number(level.ratioP99))")
            lines.append(
                "  pace      operator \(BenchResult.number(level.operator.runsPerSecond)) runs/s, floor \(BenchResult.number(level.floor.runsPerSecond)) runs/s"
            )
        }
        return lines.joined(separator: "\n")
    }

    func write(to path: String) throws -> String { try BenchResult.writeJSON(self, to: path) }
}
