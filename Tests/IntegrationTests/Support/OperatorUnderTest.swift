import Foundation
import KubeJSON
import KubeSim
import Runtime

/// Which server an operator under test talks to.
enum Server: String, Sendable {
    /// kubesim in-process, one per test.
    case kubesim
    /// The suite's real kube-apiserver v1.20.2 (`.realControlPlane`), one namespace per test,
    /// the operator authenticated as deploy/'s ServiceAccount.
    case real
    /// The suite's real node (`.realNode`): the same server, and pods that really run.
    case realNode
}

/// The integration tests' one harness: a cluster on one of the servers and the real operator
/// tree (`omjob-supervisor` and the workers it spawns) pointed at it, with its own directory;
/// on kubesim, optionally a clock the test moves for the operator and the server alike.
/// `run` tears everything down whatever happens.
///
/// Reads and writes go through `cluster` (the same JSON on every server: OpenMetadata's,
/// the scheduler's, the kubelet's, a user's); tests that need kubesim's store directly
/// (nodes, events, objects in a given state) use `sim` and run on kubesim only.
final class OperatorUnderTest: Sendable {
    let cluster: any Cluster
    let directory: String
    /// The operator's and kubesim's clock when the test controls time (`controlledClock`).
    let clock: OperatorClock?
    let operatorProcess = OperatorProcess()
    /// A second operator tree on the same server, as during a rolling update (started on demand).
    let secondOperator = OperatorProcess()
    private let kubeconfig: String
    private let settings: [String: String]

    private init(cluster: any Cluster, directory: String, clock: OperatorClock?, settings: [String: String]) throws {
        self.cluster = cluster
        self.directory = directory
        self.clock = clock
        self.settings = settings
        self.kubeconfig = try cluster.operatorKubeconfig(in: directory)
    }

    /// Runs `body` against a fresh cluster and operator; always stops both and removes the
    /// directory. `settings` go on top of `fastSettings` (unless `fast` is false) and the
    /// server's own; `supervisor` is the executable to start (the built `omjob-supervisor`
    /// unless given). `crdDirectory`, `namespace` and `controlledClock` apply to kubesim.
    static func run(
        on server: Server = .kubesim, settings: [String: String] = [:], fast: Bool = true,
        crdDirectory: String = Paths.crds, namespace: String = SimulatedCluster.defaultNamespace,
        controlledClock: Bool = false, supervisor: String? = nil,
        _ body: (OperatorUnderTest) async throws -> Void
    ) async throws {
        let directory = try Paths.temporaryDirectory()
        let clock = controlledClock ? OperatorClock(offsetFile: directory + "/clock") : nil
        let cluster: any Cluster
        let test: OperatorUnderTest
        do {
            if clock != nil { try Self.writeClock(offset: 0, in: directory) }
            cluster = try await makeCluster(server, crdDirectory: crdDirectory, namespace: namespace, clock: clock)
        } catch {
            try? FileManager.default.removeItem(atPath: directory)
            throw error
        }
        var all = fast ? fastSettings : [:]
        all.merge(cluster.operatorSettings) { _, new in new }
        if clock != nil { all["OMJOB_TEST_CLOCK_FILE"] = directory + "/clock" }
        all.merge(settings) { _, new in new }
        do {
            test = try OperatorUnderTest(cluster: cluster, directory: directory, clock: clock, settings: all)
        } catch {
            await cluster.tearDown()
            try? FileManager.default.removeItem(atPath: directory)
            throw error
        }
        do {
            try test.startOperator(executable: supervisor)
            try await body(test)
        } catch {
            // The operator's log says what it saw: printed on failure when asked for.
            if ProcessInfo.processInfo.environment["OMJOB_TEST_LOGS"] != nil {
                FileHandle.standardError.write(Data(test.log.utf8))
                FileHandle.standardError.write(Data(test.secondOperator.log.utf8))
            }
            test.stopOperator()
            await cluster.tearDown()
            try? FileManager.default.removeItem(atPath: directory)
            throw IntegrationFailure("on \(cluster.serverName): \(error)")
        }
        test.stopOperator()
        await cluster.tearDown()
        try? FileManager.default.removeItem(atPath: directory)
    }

    private static func makeCluster(_ server: Server, crdDirectory: String, namespace: String, clock: OperatorClock?)
        async throws -> any Cluster
    {
        switch server {
        case .kubesim:
            return try await SimulatedCluster.start(crdDirectory: crdDirectory, namespace: namespace, clock: clock)
        case .real:
            guard let plane = RealControlPlane.current else {
                throw IntegrationFailure("no real control plane: the suite needs the .realControlPlane trait")
            }
            return try await RealCluster.start(on: plane)
        case .realNode:
            guard let node = RealNode.current else {
                throw IntegrationFailure("no real node: the suite needs the .realNode trait")
            }
            return try await RealNodeCluster.start(on: node)
        }
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

    /// The settings the operator runs with: the short limits, the server's own, the test's.
    var operatorSettings: [String: String] { settings }

    /// The namespace the test's objects live in.
    var namespace: String { cluster.namespace }

    /// Starts the operator (again, after `stopOperator`), with this test's settings and `extra` on top.
    func startOperator(executable: String? = nil, extra: [String: String] = [:]) throws {
        try operatorProcess.start(
            kubeconfig: kubeconfig, directory: directory, settings: settings.merging(extra) { _, new in new },
            executable: executable)
    }

    /// Starts a second operator beside the first, with its own run directory (and, when
    /// given, its own kubeconfig, so that the server can tell its requests apart).
    func startSecondOperator(kubeconfig other: String? = nil) throws {
        let second = directory + "/second"
        try FileManager.default.createDirectory(atPath: second, withIntermediateDirectories: true)
        try secondOperator.start(kubeconfig: other ?? kubeconfig, directory: second, settings: settings)
    }

    /// SIGTERM, then SIGKILL after 10 s, to both trees; waits until they are gone.
    func stopOperator() {
        operatorProcess.stop()
        secondOperator.stop()
    }

    /// The operator's log so far (for failure messages).
    var log: String { operatorProcess.log }

    /// The health port of the running supervisor, once it has logged it.
    func healthPort() async throws -> Int {
        try await until("the supervisor's health port") { self.operatorProcess.healthPort }
    }

    /// Moves the operator's and kubesim's clock to `offset` seconds after the system clock.
    func setClock(offset: TimeInterval) throws {
        guard clock != nil else { throw IntegrationFailure("setClock needs a run with controlledClock") }
        try Self.writeClock(offset: offset, in: directory)
    }

    /// Writes the clock file atomically (a reader sees the old offset or the new one).
    private static func writeClock(offset: TimeInterval, in directory: String) throws {
        try String(offset).write(toFile: directory + "/clock.tmp", atomically: false, encoding: .utf8)
        guard rename(directory + "/clock.tmp", directory + "/clock") == 0 else {
            throw IntegrationFailure("rename of the clock file failed")
        }
    }
}
