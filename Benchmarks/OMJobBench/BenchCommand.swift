import ArgumentParser
import BenchHarness
import Foundation

/// `omjob-bench`: the operator's end-to-end figures on kubesim, beside the floor.
@main
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "omjob-bench",
        abstract:
            "Exit-handler latency, throughput, API requests, memory and CPU of the real operator tree on kubesim.",
        discussion: """
            Build in release first (swift build -c release), then run .build/release/omjob-bench: the operator's \
            executables are taken from the directory of omjob-bench itself (or OMJOB_BIN_DIR). Writes \
            bench-results/omjob-bench-<runs>.json.

            By default two schedules run one after the other, each measured for the operator and for the floor: \
            the burst (every main pod runs exactly --run-seconds, so all runs in flight end in the same instant) \
            and the spread (main pod i runs --run-seconds + --spread-lead + --run-spread × u(i), so the endings arrive over time, \
            as a production cluster sees them). --run-spread 0 runs the burst only; --no-burst the spread only.
            """)

    @Option(help: "OMJobs to run per schedule (100, 1000, 10000…).") var runs = 1000
    @Option(help: "OMJobs in flight at once.") var inFlight = 1000
    @Option(
        parsing: .unconditional,
        help: "Seconds every pod runs in kubesim's automatic mode (exit pods, and main pods at least).")
    var runSeconds = 0.5
    // `.unconditional`: "-1" is read as the value, so validate() refuses it by name.
    @Option(
        parsing: .unconditional,
        help: """
            Seconds over which the spread schedule spreads the main pods' run times: main pod i runs run-seconds + spread-lead + \
            run-spread × u(i), u(i) in [0, 1) from the golden-ratio sequence (the same on every run; the floor's main pod i \
            runs as long). The default 5 makes 1,000 runs in flight end at about 200 per second: the runs-per-second goal \
            and the pacing of `ExitLatencyBenchmark 1000 5`, and still far more endings per second than 1,000 pipelines of \
            minutes each give a real cluster. 0 runs the burst only.
            """) var runSpread = 5.0
    @Option(
        parsing: .unconditional,
        help: """
            Seconds the spread schedule adds to every main pod's run time before the spread, so that the first ending \
            comes after the operator has taken in the runs submitted all at once (about 1-1.6 s for 1,000 on 2 cores): \
            a steady state has new runs arriving at the pace of endings, not 1,000 at once. The table counts the \
            endings that still came while the first wave was being created. 0 lets them overlap.
            """) var spreadLead = 2.5
    @Flag(inversion: .prefixedNo, help: "Also run the burst schedule, before the spread one.") var burst = true
    @Option(
        name: .customLong("setting"),
        help: "An operator setting for the tree, NAME=VALUE (repeatable; for example EXECUTOR_CONCURRENCY=128).")
    var operatorSettings: [String] = []
    @Option(help: "OMJobs known to the operator for the start-to-ready and memory measurement (0 skips it).")
    var readyOMJobs = 10_000
    @Option(help: "Executor processes.") var executors = 2
    @Option(help: "JSON output file (default bench-results/omjob-bench-<runs>.json, or omjob-bench-real.json).")
    var output: String?
    @Option(
        help: """
            kubesim (in process), or real: the project's kube-apiserver v1.20.2 started from scripts/control-plane \
            (built by its build.sh), where a stand-in kubelet writes pod status through pods/status and the floor \
            runs on the same server in the same run.
            """) var server: Server = .kubesim
    @Option(
        help: "With --server real: the numbers of runs in flight to measure, comma-separated.",
        transform: { text in
            try text.split(separator: ",").map { part in
                guard let value = Int(part.trimmingCharacters(in: .whitespaces)), value > 0 else {
                    throw ValidationError("--real-in-flight takes positive integers separated by commas, got \(text)")
                }
                return value
            }
        }) var realInFlight: [Int] = [1, 10]
    @Option(help: "With --server real: runs per number in flight, for the operator and again for the floor.")
    var realRuns = 100

    /// Where the runs happen.
    enum Server: String, ExpressibleByArgument, CaseIterable {
        case kubesim, real
    }

    func validate() throws {
        guard runs > 0 else { throw ValidationError("--runs must be positive") }
        guard inFlight > 0 else { throw ValidationError("--in-flight must be positive") }
        guard runSeconds >= 0, runSeconds.isFinite else {
            throw ValidationError("--run-seconds must be a finite number, 0 or more, got \(runSeconds)")
        }
        guard runSpread >= 0, runSpread.isFinite else {
            throw ValidationError("--run-spread must be a finite number, 0 or more, got \(runSpread)")
        }
        guard spreadLead >= 0, spreadLead.isFinite else {
            throw ValidationError("--spread-lead must be a finite number, 0 or more, got \(spreadLead)")
        }
        for setting in operatorSettings where !setting.contains("=") || setting.hasPrefix("=") {
            throw ValidationError("--setting takes NAME=VALUE, got \(setting)")
        }
        guard burst || runSpread > 0 else {
            throw ValidationError("--no-burst with --run-spread 0 leaves no schedule to run")
        }
    }

    /// The schedules to measure, in order: the burst (unless --no-burst), then the spread (unless 0).
    var schedules: [RunSchedule] {
        var schedules: [RunSchedule] = []
        if burst { schedules.append(RunSchedule(runSeconds: runSeconds, spreadSeconds: 0)) }
        if runSpread > 0 {
            schedules.append(RunSchedule(runSeconds: runSeconds, spreadSeconds: runSpread, leadSeconds: spreadLead))
        }
        return schedules
    }

    func run() async throws {
        if server == .real {
            try await RealServerPhase.run(
                levels: realInFlight, runs: realRuns, runSeconds: runSeconds, settings: treeSettings, output: output)
            return
        }
        let load = MachineLoad.loadAverage
        let cluster = try await BenchCluster.start(namespace: "bench", runSeconds: runSeconds)
        do {
            var result = BenchResult(
                runs: runs, inFlight: inFlight, runSeconds: runSeconds, executors: executors, cores: MachineLoad.cores,
                loadAverageBefore: load)
            let settings = treeSettings
            result.settings = givenSettings
            try await OperatorPhase.run(cluster: cluster, settings: settings, schedules: schedules, into: &result)
            // The floor runs once the tree has stopped, as it always has: nothing else competes for the cores.
            for index in result.schedules.indices {
                try await FloorPhase.run(
                    cluster: cluster, schedule: schedules[index], runs: runs, inFlight: inFlight,
                    into: &result.schedules[index])
            }
            if readyOMJobs > 0 {
                try await ReadyPhase.run(cluster: cluster, settings: settings, known: readyOMJobs, into: &result)
            }
            result.loadAverageAfter = MachineLoad.loadAverage
            print(result.table)
            let path = try result.write(to: output ?? RepositoryPaths.results + "/omjob-bench-\(runs).json")
            print("JSON: \(path)")
        } catch {
            await cluster.shutdown()
            throw error
        }
        await cluster.shutdown()
    }

    /// The `--setting` values, by name.
    var givenSettings: [String: String] {
        var settings: [String: String] = [:]
        for setting in operatorSettings {
            let parts = setting.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            settings[String(parts[0])] = String(parts[1])
        }
        return settings
    }

    /// The tree's settings: the executors, then every `--setting` (which may override them).
    var treeSettings: [String: String] {
        ["EXECUTOR_WORKERS": String(executors)].merging(givenSettings) { _, given in given }
    }
}
