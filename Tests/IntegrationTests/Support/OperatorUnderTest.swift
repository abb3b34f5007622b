import Foundation
import KubeJSON
import KubeSim
import Synchronization

/// One kubesim (in-process, port 0, the repository's CRDs) and the real `omjob-supervisor`
/// (which spawns the real watcher, executors and gc) pointed at it through a kubeconfig, each
/// test with its own run directory. `run` tears everything down whatever happens.
final class OperatorUnderTest: Sendable {
    static let namespace = "pipelines"
    static let token = "integration-token"
    static let omjobs = GroupResource(group: "pipelines.openmetadata.org", resource: "omjobs")

    let sim: KubeSimServer
    let directory: String
    private let supervisor = OperatorProcess()

    private init(sim: KubeSimServer, directory: String) {
        self.sim = sim
        self.directory = directory
    }

    /// Runs `body` against a fresh kubesim and operator; always stops both and removes the directory.
    /// `supervisor` is the executable to start (the built `omjob-supervisor` unless given).
    static func run(
        settings: [String: String] = [:], crdDirectory: String = Paths.crds, supervisor: String? = nil,
        _ body: (OperatorUnderTest) async throws -> Void
    ) async throws {
        let sim = try await KubeSimServer.start(.init(token: token, crdDirectory: crdDirectory, threads: 1))
        let directory = try Paths.temporaryDirectory()
        let test = OperatorUnderTest(sim: sim, directory: directory)
        do {
            _ = try sim.store.create(
                .namespaces, namespace: nil,
                object: ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(namespace)]])
            try test.writeKubeconfig()
            try test.startOperator(settings: settings, executable: supervisor)
            try await body(test)
        } catch {
            if ProcessInfo.processInfo.environment["OMJOB_TEST_LOGS"] != nil {
                FileHandle.standardError.write(Data(test.log.utf8))
            }
            test.stopOperator()
            try? await sim.shutdown()
            try? FileManager.default.removeItem(atPath: directory)
            throw error
        }
        test.stopOperator()
        try await sim.shutdown()
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func writeKubeconfig() throws {
        let config = """
            apiVersion: v1
            kind: Config
            clusters:
            - name: sim
              cluster: {server: "\(sim.baseURL)"}
            users:
            - name: test
              user: {token: "\(Self.token)"}
            contexts:
            - name: sim
              context: {cluster: sim, user: test, namespace: \(Self.namespace)}
            current-context: sim
            """
        try config.write(toFile: directory + "/kubeconfig", atomically: true, encoding: .utf8)
    }

    /// Short limits so every ending shows within seconds; the operator reads them from its environment.
    /// The start deadlines stay long (a loaded machine must not turn a slow test into a never-started
    /// pod): the tests of those endings set a short deadline in their OMJob's spec instead.
    static let fastSettings: [String: String] = [
        "OMJOB_EXIT_HANDLER_BACKOFF_SECONDS": "1", "OMJOB_EXIT_HANDLER_MAX_BACKOFF_SECONDS": "1",
        "OMJOB_DELETION_REPORT_SLACK_SECONDS": "1", "OMJOB_MAIN_POD_START_DEADLINE_SECONDS": "120",
        "OMJOB_NODE_LOST_THRESHOLD_SECONDS": "2", "OMJOB_EXIT_HANDLER_START_DEADLINE_SECONDS": "120",
        // A tree restarted after kill -9 (a new identity) waits a lease duration for the Lease.
        "LEADER_ELECTION_LEASE_DURATION_MS": "4000", "LEADER_ELECTION_RENEW_DEADLINE_MS": "3000",
        "LEADER_ELECTION_RETRY_PERIOD_MS": "500",
    ]

    func startOperator(settings: [String: String] = [:], executable: String? = nil) throws {
        let settings = Self.fastSettings.merging(["WATCH_NAMESPACES": "ALL"]) { _, new in new }.merging(settings) {
            _, new in new
        }
        try supervisor.start(
            kubeconfig: directory + "/kubeconfig", directory: directory, settings: settings, executable: executable)
    }

    /// SIGTERM, then SIGKILL after 10 s; waits until the supervisor (and so its tree) is gone.
    func stopOperator() { supervisor.stop() }

    /// The operator's log so far (for failure messages).
    var log: String { supervisor.log }

    /// The health port of the running supervisor, once it logged it.
    func healthPort() -> Int? { supervisor.healthPort }
}
