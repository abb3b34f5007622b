import Foundation
import KubeJSON
import KubeSim
import Shared
import TestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// The whole operator (the real `omjob-supervisor` and its workers) against an in-process
/// kubesim, with the operator's clock under the test's control (`OMJOB_TEST_CLOCK_FILE`).
///
/// Everything it starts is ended by `finish()`: the supervisor (SIGTERM, then SIGKILL; its
/// workers die with it), kubesim, the temporary directory. Ports are ephemeral.
final class GCOperatorRun: @unchecked Sendable {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let omjobs = GroupResource(group: "pipelines.openmetadata.org", resource: "omjobs")
    static let cronomjobs = GroupResource(group: "pipelines.openmetadata.org", resource: "cronomjobs")
    static let namespace = "default"

    let sim: KubeSimServer
    let directory: String
    /// The time of the cluster and the operator alike: the system clock plus the test's offset.
    let clock: OperatorClock
    private var supervisor: SupervisorProcess?
    private var finished = false

    /// Starts kubesim and the operator; `environment` adds to (or overrides) the operator's.
    init(environment: [String: String] = [:], crdDirectory: String? = nil) async throws {
        var template = Array((NSTemporaryDirectory() + "/omjob-gctest-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw GCTestFailure("mkdtemp failed") }
        directory = String(cString: made)
        clock = OperatorClock(offsetFile: directory + "/clock")
        var configuration = KubeSimServer.Configuration(
            token: "gc-test", crdDirectory: crdDirectory ?? Self.root.appendingPathComponent("deploy/crds").path,
            threads: 1)
        configuration.cluster.clock = .external { [clock] in clock.now() }
        sim = try await KubeSimServer.start(configuration)
        try setClock(offset: 0)
        try kubeconfig.write(toFile: directory + "/kubeconfig", atomically: true, encoding: .utf8)
        try startOperator(environment)
    }

    private var kubeconfig: String {
        """
        apiVersion: v1
        kind: Config
        clusters: [{name: sim, cluster: {server: "\(sim.baseURL)"}}]
        users: [{name: test, user: {token: gc-test}}]
        contexts: [{name: sim, context: {cluster: sim, user: test, namespace: default}}]
        current-context: sim
        """
    }

    private func startOperator(_ extra: [String: String]) throws {
        let bin =
            ProcessInfo.processInfo.environment["OMJOB_BIN_DIR"].flatMap { $0.isEmpty ? nil : $0 }
            ?? Self.root.appendingPathComponent(".build/debug").path
        let supervisor = bin + "/omjob-supervisor"
        guard FileManager.default.isExecutableFile(atPath: supervisor) else {
            throw GCTestFailure("\(supervisor) is missing: run `swift build` first")
        }
        var env = [
            "PATH": "/usr/bin:/bin", "HOME": directory, "HEALTH_CHECK_PORT": "0", "OMJOB_RUN_DIR": directory + "/run",
            "HEARTBEAT_INTERVAL_MS": "200", "SHUTDOWN_GRACE_SECONDS": "10", "EXECUTOR_WORKERS": "1",
            "LOG_LEVEL": "DEBUG",
            "KUBECONFIG": directory + "/kubeconfig", "OMJOB_TEST_CLOCK_FILE": directory + "/clock",
        ]
        env.merge(extra) { _, new in new }
        self.supervisor = try SupervisorProcess(executable: supervisor, environment: env)
    }

    /// Every line the operator's processes logged so far (for failure messages).
    var logs: String { supervisor?.text ?? "" }

    /// Moves the operator's clock to `offset` seconds after the system clock (atomically).
    func setClock(offset: TimeInterval) throws {
        try String(offset).write(toFile: directory + "/clock.tmp", atomically: false, encoding: .utf8)
        guard rename(directory + "/clock.tmp", directory + "/clock") == 0 else {
            throw GCTestFailure("rename clock file failed")
        }
    }

    /// The health port, from the supervisor's "supervisor listening" log line.
    func healthPort() async throws -> Int {
        var port: Int?
        _ = await gcEventually {
            port = self.supervisor?.healthPort
            return port != nil
        }
        guard let port else { throw GCTestFailure("supervisor did not start listening:\n\(logs)") }
        return port
    }

    /// The supervisor's `/metrics` as `name{labels} → value` (label text as printed).
    func metrics() async throws -> [String: Double] {
        let body = try LoopbackHTTP.get(port: try await healthPort(), path: "/metrics").body
        var out: [String: Double] = [:]
        for line in body.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else {
                continue
            }
            out[String(line[..<space])] = value
        }
        return out
    }

    /// The gc's pid from `/info`.
    func gcPID() async throws -> Int32? {
        let body = try LoopbackHTTP.get(port: try await healthPort(), path: "/info").body
        let info = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
        let children = info?["children"] as? [[String: Any]] ?? []
        return (children.first { $0["role"] as? String == "gc" }?["pid"] as? Int).map(Int32.init)
    }

    /// Runs `body` against a fresh kubesim and operator, and ends both whatever `body` does.
    static func run(
        environment: [String: String] = [:], crdDirectory: String? = nil, _ body: (GCOperatorRun) async throws -> Void
    ) async throws {
        let run = try await GCOperatorRun(environment: environment, crdDirectory: crdDirectory)
        do {
            try await body(run)
        } catch {
            await run.finish()
            throw error
        }
        await run.finish()
    }

    /// Ends everything this run started.
    func finish() async {
        guard !finished else { return }
        finished = true
        // Bounded: a test must not hang on teardown (SIGKILL ends the tree; workers die with it).
        supervisor?.stop(grace: 15)
        try? await sim.shutdown()
        try? FileManager.default.removeItem(atPath: directory)
    }
}

/// A test precondition that did not hold.
struct GCTestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Polls `condition` every 50 ms until it holds or `timeout` passes; returns whether it held.
/// The timeout only bounds a hang: no test asserts on how long anything took.
func gcEventually(timeout: Double = 30, _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(50))
    }
    return try await condition()
}
