import ArgumentParser
import BenchHarness
import Foundation

/// `omjob-bench`: the operator's end-to-end figures on kubesim, beside the floor.
@main
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "omjob-bench",
        abstract: "Exit-handler latency, throughput, API requests, memory and CPU of the real operator tree on kubesim.",
        discussion: """
        Build in release first (swift build -c release), then run .build/release/omjob-bench: the operator's
        executables are taken from the directory of omjob-bench itself. Writes bench-results/omjob-bench-<runs>.json.
        """)

    @Option(help: "OMJobs to run (100, 1000, 10000…).") var runs = 1000
    @Option(help: "OMJobs in flight at once.") var inFlight = 1000
    @Option(help: "Seconds every pod runs in kubesim's automatic mode.") var runSeconds = 0.5
    @Option(help: "OMJobs known to the operator for the start-to-ready and memory measurement (0 skips it).") var readyOMJobs = 10_000
    @Option(help: "Executor processes.") var executors = 2
    @Option(help: "JSON output file (default bench-results/omjob-bench-<runs>.json).") var output: String?

    func validate() throws {
        guard runs > 0 else { throw ValidationError("--runs must be positive") }
        guard inFlight > 0 else { throw ValidationError("--in-flight must be positive") }
        guard runSeconds >= 0 else { throw ValidationError("--run-seconds must not be negative") }
    }

    func run() async throws {
        let load = MachineLoad.loadAverage
        let cluster = try await BenchCluster.start(namespace: "bench", runSeconds: runSeconds)
        do {
            var result = BenchResult(runs: runs, inFlight: inFlight, runSeconds: runSeconds, executors: executors, cores: MachineLoad.cores, loadAverageBefore: load)
            let settings = ["EXECUTOR_WORKERS": String(executors)]
            try await OperatorPhase.run(cluster: cluster, settings: settings, into: &result)
            try await FloorPhase.run(cluster: cluster, runs: runs, inFlight: inFlight, into: &result)
            if readyOMJobs > 0 { try await ReadyPhase.run(cluster: cluster, settings: settings, known: readyOMJobs, into: &result) }
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
}
