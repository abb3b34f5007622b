import Foundation
import Spawn

/// A part of a cluster that one of the repository's scripts starts for tests and benchmarks
/// (scripts/control-plane: etcd, kube-apiserver, kube-controller-manager; scripts/node: kubelet,
/// containerd, kube-scheduler): `start.sh` run to its end, then a watchdog that runs
/// `stop.sh STATE` should this process die first, so that nothing is ever left running.
/// `stop()` runs `stop.sh`, which stops each process by its own pid.
public final class ScriptedService: Sendable {
    /// The state folder the scripts keep their pids, logs and `env` file in.
    public let state: String
    private let scripts: String
    private let watchdog: SpawnedProcess

    private init(state: String, scripts: String, watchdog: SpawnedProcess) {
        self.state = state
        self.scripts = scripts
        self.watchdog = watchdog
    }

    /// Runs `<scripts>/start.sh` with `arguments` (state folders), `environment` added to this
    /// process's own (the script's options), and throws with its last words unless it exits 0.
    public static func start(
        scripts: String, arguments: [String], state: String, environment: [String: String] = [:]
    ) async throws -> ScriptedService {
        try await HelperProgram.check([scripts + "/start.sh"] + arguments, environment: environment, in: state)
        let pid = ProcessInfo.processInfo.processIdentifier
        let watchdog = try SpawnedProcess(
            executable: "/bin/bash",
            arguments: [
                "-c",
                "trap 'exit 0' TERM; while kill -0 \(pid) 2>/dev/null; do sleep 1 & wait $!; done; '\(scripts)/stop.sh' '\(state)'",
            ],
            environment: ProcessInfo.processInfo.environment)
        return ScriptedService(state: state, scripts: scripts, watchdog: watchdog)
    }

    /// Disarms the watchdog and runs `stop.sh STATE`; the state folder stays for the caller.
    public func stop() async {
        watchdog.signal(SIGTERM)
        _ = watchdog.waitExit(timeout: 5)  // it traps TERM and exits at once; reap it
        _ = try? await HelperProgram.check([scripts + "/stop.sh", state], in: state)
    }

    /// The `export NAME="value"` lines of the state folder's `env` file (scripts/control-plane
    /// writes KUBE_API_URL, KUBE_API_TOKEN, KUBE_API_CA and KUBECONFIG there).
    public func environmentFile() throws -> [String: String] {
        let text = try String(contentsOfFile: state + "/env", encoding: .utf8)
        var result: [String: String] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("export ") {
            let pair = line.dropFirst("export ".count).split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            result[String(pair[0])] = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        return result
    }

    /// How scripts/control-plane's `env` file says to reach its API server.
    public func controlPlaneAccess() throws -> (
        url: String, token: String, certificateAuthority: String, kubeconfig: String
    ) {
        let environment = try environmentFile()
        guard let url = environment["KUBE_API_URL"], let token = environment["KUBE_API_TOKEN"],
            let ca = environment["KUBE_API_CA"], let kubeconfig = environment["KUBECONFIG"]
        else {
            throw HelperProgramFailure("\(state)/env lacks KUBE_API_URL, KUBE_API_TOKEN, KUBE_API_CA or KUBECONFIG")
        }
        return (url, token, ca, kubeconfig)
    }

    /// kubectl on PATH, else the one scripts/validate-manifests.sh installs into `<root>/.build/tools`.
    public static func kubectl(repositoryRoot root: URL) throws -> String {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let path = "\(directory)/kubectl"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        let tools = root.appendingPathComponent(".build/tools/bin/kubectl").path
        guard FileManager.default.isExecutableFile(atPath: tools) else {
            throw HelperProgramFailure(
                "kubectl not found (PATH or .build/tools/bin): `make validate-manifests` installs it")
        }
        return tools
    }
}

/// A helper program (the cluster scripts, kubectl) that could not run or did not exit 0.
public struct HelperProgramFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Runs a helper program (the cluster scripts, kubectl) to completion. Output goes to files,
/// not pipes, so a chatty program can never block on a full pipe.
public enum HelperProgram {
    /// What a finished program printed.
    public struct Output: Sendable {
        public let status: Int32
        public let stdout: String
        public let stderr: String
    }

    /// The program runs under `bash -c`, which writes its exit status to a file that is polled:
    /// `Process.waitUntilExit` never returned for start.sh (a script leaving daemons behind),
    /// though the script had exited. The poll sleeps without holding a thread: a test process
    /// has as many cooperative threads as cores (two in CI), and every other test needs them.
    /// `directory` holds the output files and is the program's working directory unless
    /// `workingDirectory` is given.
    public static func run(
        _ arguments: [String], environment: [String: String] = [:], in directory: String,
        workingDirectory: String? = nil, timeout: Double = 600
    ) async throws -> Output {
        let out = directory + "/command.out"
        let err = directory + "/command.err"
        let rc = directory + "/command.rc"
        try? FileManager.default.removeItem(atPath: rc)
        let process = try SpawnedProcess(
            executable: "/bin/bash",
            arguments: [
                "-c", "\"$@\" >'\(out)' 2>'\(err)' </dev/null; echo $? >'\(rc).tmp' && mv '\(rc).tmp' '\(rc)'", "bash",
            ] + arguments,
            environment: ProcessInfo.processInfo.environment.merging(environment) { _, new in new },
            directory: workingDirectory ?? directory)
        let deadline = Date().addingTimeInterval(timeout)
        while !FileManager.default.fileExists(atPath: rc) {
            guard Date() < deadline else {
                terminateChildren(of: process.pid)
                throw HelperProgramFailure(
                    "`\(arguments.joined(separator: " "))` ran over \(Int(timeout)) s; sent it SIGTERM")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        // bash exits right after the rename: reap it (bounded, in case it is stopped meanwhile).
        let reapDeadline = Date().addingTimeInterval(10)
        while process.isRunning, Date() < reapDeadline { try await Task.sleep(for: .milliseconds(10)) }
        let status =
            Int32(
                (try? String(contentsOfFile: rc, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
                    ?? "") ?? -1
        return Output(
            status: status,
            stdout: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOfFile: err, encoding: .utf8)) ?? "")
    }

    /// SIGTERM to the program bash runs (bash's children), so that a program that stops what it
    /// started on SIGTERM (omjob-chaos, the sandbox) leaves nothing behind.
    private static func terminateChildren(of pid: Int32) {
        let children = (try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8)) ?? ""
        for child in children.split(separator: " ").compactMap({ Int32($0) }) { kill(child, SIGTERM) }
    }

    /// Runs and throws, with the program's last words, unless it exits 0; returns its stdout.
    @discardableResult
    public static func check(
        _ arguments: [String], environment: [String: String] = [:], in directory: String,
        workingDirectory: String? = nil, timeout: Double = 600
    ) async throws -> String {
        let output = try await run(
            arguments, environment: environment, in: directory, workingDirectory: workingDirectory, timeout: timeout)
        guard output.status == 0 else {
            throw HelperProgramFailure(
                "`\(arguments.joined(separator: " "))` exited \(output.status):\n\(output.stderr.suffix(2000))")
        }
        return output.stdout
    }
}
