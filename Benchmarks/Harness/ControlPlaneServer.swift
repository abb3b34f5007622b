import Foundation
import HTTPTransport
import KubeAPI
import KubeJSON
import Spawn
import UVLoop

/// The project's real control plane (etcd, kube-apiserver and kube-controller-manager v1.20.2,
/// `scripts/control-plane`) for one benchmark: started on free loopback ports with the
/// repository's CRDs applied, reached over HTTPS with the admin's token. Nothing schedules or
/// runs pods on it: ``KubeletStandIn`` writes their status.
public final class ControlPlaneServer: Sendable {
    /// The state folder of start.sh (its `env`, `kubeconfig`, logs).
    public let state: String
    /// The admin's kubeconfig, which the operator tree uses too: the benchmark measures speed, not RBAC.
    public let kubeconfig: String
    public let configuration: ClusterConfiguration
    private let watchdog: SpawnedProcess

    private init(state: String, kubeconfig: String, configuration: ClusterConfiguration, watchdog: SpawnedProcess) {
        self.state = state
        self.kubeconfig = kubeconfig
        self.configuration = configuration
        self.watchdog = watchdog
    }

    static var scripts: String { RepositoryPaths.root.appendingPathComponent("scripts/control-plane").path }

    /// Starts it (seconds: start.sh returns once the controller manager has collected a probe
    /// object) and applies deploy/crds with kubectl. Fails with the script's words when the
    /// control plane is not built (`scripts/control-plane/build.sh`) or does not start.
    public static func start() async throws -> ControlPlaneServer {
        let state = try RepositoryPaths.temporaryDirectory(prefix: "omjob-bench-cp")
        let log = state + "/start.log"
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        // Owner-reference enforcement off: the admin may set anything, as the tree here runs as the admin.
        var environment = ProcessInfo.processInfo.environment
        environment["OMJOB_CP_OWNER_REFERENCES_ENFORCEMENT"] = "0"
        try await run(scripts + "/start.sh", [state], environment: environment, log: log, what: "start.sh")
        // If the benchmark dies without stopping it, this shell does: nothing is left running.
        let pid = ProcessInfo.processInfo.processIdentifier
        let watchdog = try SpawnedProcess(
            executable: "/bin/bash",
            arguments: [
                "-c",
                "trap 'exit 0' TERM; while kill -0 \(pid) 2>/dev/null; do sleep 1 & wait $!; done; '\(scripts)/stop.sh' '\(state)'",
            ],
            environment: ProcessInfo.processInfo.environment)
        do {
            let env = try Self.environment(state: state)
            guard let url = env["KUBE_API_URL"], let token = env["KUBE_API_TOKEN"], let ca = env["KUBE_API_CA"],
                let kubeconfig = env["KUBECONFIG"]
            else { throw HarnessError("\(state)/env lacks KUBE_API_URL, KUBE_API_TOKEN, KUBE_API_CA or KUBECONFIG") }
            var kubectlEnvironment = ProcessInfo.processInfo.environment
            kubectlEnvironment["KUBECONFIG"] = kubeconfig
            let kubectl = try Self.kubectl()
            try await run(
                kubectl, ["apply", "-f", RepositoryPaths.crds], environment: kubectlEnvironment, log: log,
                what: "kubectl apply")
            try await run(
                kubectl,
                [
                    "wait", "--for", "condition=established", "--timeout", "60s",
                    "crd/omjobs.pipelines.openmetadata.org", "crd/cronomjobs.pipelines.openmetadata.org",
                ], environment: kubectlEnvironment, log: log, what: "kubectl wait")
            let configuration = ClusterConfiguration(
                server: url, tls: TLSOptions(certificateAuthority: .file(ca)), credentials: .token(token))
            return ControlPlaneServer(
                state: state, kubeconfig: kubeconfig, configuration: configuration, watchdog: watchdog)
        } catch {
            watchdog.signal(SIGTERM)
            _ = watchdog.waitExit(timeout: 5)
            try? await run(scripts + "/stop.sh", [state], environment: environment, log: log, what: "stop.sh")
            throw error
        }
    }

    /// Stops every process of the control plane by its pid (stop.sh) and removes its state.
    public func stop() async {
        watchdog.signal(SIGTERM)
        _ = watchdog.waitExit(timeout: 5)
        try? await Self.run(
            Self.scripts + "/stop.sh", [state], environment: ProcessInfo.processInfo.environment,
            log: state + "/start.log", what: "stop.sh")
        try? FileManager.default.removeItem(atPath: state)
    }

    /// A client of the admin's on its own event loop (each party of the benchmark has one, so
    /// that none waits behind another's decoding).
    public func client() throws -> (KubeClient, LoopThread) {
        let loop = try LoopThread(name: "bench-client")
        return (KubeClient(configuration: configuration, executor: loop.executor), loop)
    }

    /// Runs a helper program to its end, its output appended to `log`; a failure names the log.
    private static func run(
        _ executable: String, _ arguments: [String], environment: [String: String], log: String, what: String
    ) async throws {
        let process = try SpawnedProcess(
            executable: executable, arguments: arguments, environment: environment, stdout: .file(log),
            stderr: .file(log))
        while process.isRunning { try await Task.sleep(for: .milliseconds(50)) }
        guard process.termination == .exited(0) else {
            let tail =
                (try? String(contentsOfFile: log, encoding: .utf8))?.split(separator: "\n").suffix(15)
                .joined(separator: "\n") ?? ""
            throw HarnessError("\(what) failed (\(String(describing: process.termination))); its output:\n\(tail)")
        }
    }

    /// `export NAME="value"` lines of start.sh's env file.
    private static func environment(state: String) throws -> [String: String] {
        let text = try String(contentsOfFile: state + "/env", encoding: .utf8)
        var result: [String: String] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("export ") {
            let pair = line.dropFirst("export ".count).split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            result[String(pair[0])] = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        return result
    }

    /// kubectl on PATH, else the one scripts/validate-manifests.sh installs into .build/tools.
    private static func kubectl() throws -> String {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let path = "\(directory)/kubectl"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        let tools = RepositoryPaths.root.appendingPathComponent(".build/tools/bin/kubectl").path
        guard FileManager.default.isExecutableFile(atPath: tools) else {
            throw HarnessError("kubectl not found (PATH or .build/tools/bin): `make validate-manifests` installs it")
        }
        return tools
    }
}
