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
    private let supervisor = Mutex<Process?>(nil)
    let logs = LogBuffer()

    private init(sim: KubeSimServer, directory: String) {
        self.sim = sim
        self.directory = directory
    }

    /// Runs `body` against a fresh kubesim and operator; always stops both and removes the directory.
    static func run(settings: [String: String] = [:], crdDirectory: String = Paths.crds,
                    _ body: (OperatorUnderTest) async throws -> Void) async throws {
        let sim = try await KubeSimServer.start(.init(token: token, crdDirectory: crdDirectory, threads: 1))
        let directory = try Paths.temporaryDirectory()
        let test = OperatorUnderTest(sim: sim, directory: directory)
        do {
            _ = try sim.store.create(.namespaces, namespace: nil, object: ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(namespace)]])
            try test.writeKubeconfig()
            try test.startOperator(settings: settings)
            try await body(test)
        } catch {
            if ProcessInfo.processInfo.environment["OMJOB_TEST_LOGS"] != nil { FileHandle.standardError.write(Data(test.log.utf8)) }
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
    ]

    func startOperator(settings: [String: String] = [:]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try Paths.product("omjob-supervisor"))
        var env = ["PATH": "/usr/bin:/bin", "HOME": directory, "KUBECONFIG": directory + "/kubeconfig",
                   "OMJOB_RUN_DIR": directory + "/run", "HEALTH_CHECK_PORT": "0", "EXECUTOR_WORKERS": "2",
                   "HEARTBEAT_INTERVAL_MS": "200", "SHUTDOWN_GRACE_SECONDS": "5", "LOG_LEVEL": "DEBUG", "WATCH_NAMESPACES": "ALL"]
        env.merge(Self.fastSettings) { _, new in new }
        env.merge(settings) { _, new in new }
        process.environment = env
        let pipe = Pipe()
        process.standardError = pipe
        process.standardOutput = FileHandle.nullDevice
        let logs = self.logs
        pipe.fileHandleForReading.readabilityHandler = { handle in
            let chunk = handle.availableData
            if chunk.isEmpty { handle.readabilityHandler = nil; return }
            logs.chunks.withLock { $0.append(String(decoding: chunk, as: UTF8.self)) }
        }
        try process.run()
        supervisor.withLock { $0 = process }
    }

    /// SIGTERM, then SIGKILL after 10 s; waits until the supervisor (and so its tree) is gone.
    func stopOperator() {
        guard let process = supervisor.withLock({ value -> Process? in defer { value = nil }; return value }) else { return }
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning, Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// The operator's log so far (for failure messages).
    var log: String { logs.chunks.withLock { $0.joined() } }
}

/// The operator's captured stderr.
final class LogBuffer: Sendable {
    let chunks = Mutex<[String]>([])
}
