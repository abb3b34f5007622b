import ArgumentParser
import BenchHarness
import Foundation
import KubeSim

/// `omjob-chaos`: runs OMJobs with every kind of ending while parts of the operator are killed
/// and kubesim misbehaves, then checks every run's promise. Exit 1 on any violation.
@main
struct ChaosCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "omjob-chaos",
        abstract:
            "Kill -9 parts of the operator tree and inject API faults while OMJobs run; verify every exit handler.",
        discussion:
            "The operator's executables are taken from the directory of omjob-chaos itself (.build/debug or .build/release)."
    )

    @Option(help: "OMJobs to run.") var runs = 1000
    @Option(help: "OMJobs in flight at once.") var inFlight = 100
    @Option(help: "Seed of the endings and the kills.") var seed: UInt64 = 1
    @Option(help: "Mean seconds between two kills.") var killEvery = 2.0
    @Option(help: "How many of the kills take the whole tree down.") var treeKills = 3
    @Option(help: "Seconds every pod runs in kubesim's automatic mode.") var runSeconds = 0.3
    @Option(help: "Seconds allowed for the last runs to finish after the disruption stops.") var settle = 120.0
    @Flag(help: "No kubesim fault injection (kills only).") var noFaults = false
    @Option(help: "The operator's LOG_LEVEL (its log is kept when a check fails).") var logLevel = "INFO"
    @Option(help: "Operator trees electing on one Lease (2: a leader and a standby, both disrupted).") var replicas = 1

    func validate() throws {
        guard runs > 0, inFlight > 0 else { throw ValidationError("--runs and --in-flight must be positive") }
        guard killEvery > 0 else { throw ValidationError("--kill-every must be positive") }
        guard (1...4).contains(replicas) else { throw ValidationError("--replicas must be 1 to 4, got \(replicas)") }
    }

    func run() async throws {
        let cluster = try await BenchCluster.start(namespace: "chaos", runSeconds: runSeconds)
        let settings = Self.operatorSettings.merging(["LOG_LEVEL": logLevel]) { _, new in new }
            .merging(replicas > 1 ? Self.electionSettings : [:]) { _, new in new }
        let trees = try (0..<replicas).map { index in
            try OperatorTree(
                cluster: cluster, name: replicas == 1 ? "operator" : "operator-\(index)", settings: settings)
        }
        let interrupt = Self.stopTreesOnSignal(trees)
        let report: ChaosReport
        do {
            report = try await ChaosRun(command: self, cluster: cluster, trees: trees).run()
        } catch {
            for tree in trees { tree.killAll() }
            await cluster.shutdown()
            throw error
        }
        for tree in trees { tree.stop() }
        for source in interrupt { source.cancel() }
        print(report.text)
        if !report.violations.isEmpty {
            print("operator logs: \(trees.map(\.logFile).joined(separator: ", ")) (kept)")
        } else {
            await cluster.shutdown()
        }
        if !report.violations.isEmpty { throw ExitCode(1) }
    }

    /// Short limits so never-started pods and retries resolve within seconds; restarts unlimited,
    /// since the kills are the point.
    static let operatorSettings: [String: String] = [
        "OMJOB_EXIT_HANDLER_BACKOFF_SECONDS": "1", "OMJOB_EXIT_HANDLER_MAX_BACKOFF_SECONDS": "1",
        "OMJOB_DELETION_REPORT_SLACK_SECONDS": "1", "OMJOB_MAIN_POD_START_DEADLINE_SECONDS": "5",
        "OMJOB_NODE_LOST_THRESHOLD_SECONDS": "2", "OMJOB_EXIT_HANDLER_START_DEADLINE_SECONDS": "3",
        "RESTART_INTENSITY": "10000", "RESTART_BACKOFF_MAX_SECONDS": "1", "HEARTBEAT_INTERVAL_MS": "200",
    ]

    /// Several trees elect on this Lease, with short timings (a take-over within ~4.5 s of a
    /// leader's loss, instead of the 15-17 s of the defaults).
    static let leaseName = "omjob-chaos"
    static let electionSettings: [String: String] = [
        "LEASE_NAME": leaseName, "LEADER_ELECTION_LEASE_DURATION_MS": "4000",
        "LEADER_ELECTION_RENEW_DEADLINE_MS": "3000",
        "LEADER_ELECTION_RETRY_PERIOD_MS": "500",
    ]

    /// SIGINT/SIGTERM: kill the trees (their workers die with the supervisors) and exit 130/143.
    static func stopTreesOnSignal(_ trees: [OperatorTree]) -> [any DispatchSourceSignal] {
        [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                for tree in trees { tree.killAll() }
                Glibc.exit(128 + number)
            }
            source.resume()
            return source
        }
    }
}
