import Foundation
import TestSupport

/// The real `omjob-supervisor` executable, started for one test with its own run directory,
/// an ephemeral health port, and its JSON log lines captured for assertions.
final class RunningSupervisor: Sendable {
    let process: SupervisorProcess
    let runDirectory: String

    /// Starts the supervisor with `environment` on top of a minimal test environment.
    /// `launcher` runs the supervisor through another program (e.g. `unshare` to make it PID 1).
    init(runDirectory: String, environment: [String: String] = [:], launcher: [String] = []) throws {
        self.runDirectory = runDirectory
        let supervisor = try BuiltProducts.path("omjob-supervisor")
        var env = [
            "PATH": "/usr/bin:/bin", "HOME": "/tmp", "HEALTH_CHECK_PORT": "0", "OMJOB_RUN_DIR": runDirectory,
            "HEARTBEAT_INTERVAL_MS": "200", "SHUTDOWN_GRACE_SECONDS": "10", "EXECUTOR_WORKERS": "2",
            "LOG_LEVEL": "DEBUG",
        ]
        // The real roles need an API server; supervision and brokering are tested with stand-ins.
        let echo = try BuiltProducts.path("omjob-echo-worker")
        for role in ["WATCHER", "EXECUTOR", "GC"] { env["OMJOB_\(role)_COMMAND"] = echo }
        env.merge(environment) { _, new in new }
        process = try SupervisorProcess(
            executable: launcher.first ?? supervisor,
            arguments: launcher.isEmpty ? [] : Array(launcher.dropFirst()) + [supervisor],
            environment: env)
    }

    var pid: Int32 { process.pid }
    var socketPath: String { runDirectory + "/broker.sock" }

    /// Every log line so far, parsed.
    var logs: [[String: Any]] { process.jsonLines }

    /// Raw log lines (including any non-JSON output), for failure messages.
    var rawLogs: String { process.text }

    /// Supervisor log lines with this message.
    func supervisorLogs(_ message: String) -> [[String: Any]] {
        logs.filter { $0["role"] as? String == "supervisor" && $0["message"] as? String == message }
    }

    /// Waits for the health port from the "supervisor listening" line.
    func healthPort() async throws -> Int {
        var port: Int?
        _ = await eventually {
            port = process.healthPort
            return port != nil
        }
        guard let port else { throw TestFailure("supervisor did not start listening:\n\(rawLogs)") }
        return port
    }

    /// Waits until `/ready` answers 200.
    func waitReady() async throws -> Int {
        let port = try await healthPort()
        guard await eventually(timeout: 30, { (try? LoopbackHTTP.get(port: port, path: "/ready"))?.status == 200 })
        else {
            throw TestFailure("tree never became ready:\n\(rawLogs)")
        }
        return port
    }

    /// Waits for the process to exit; nil on timeout.
    func waitExit(timeout: Double = 30) async -> Int32? {
        guard await eventually(timeout: timeout, { !process.isRunning }) else { return nil }
        return process.waitExit(timeout: 1)
    }

    func signal(_ signal: Int32) { process.signal(signal) }

    /// Ends the supervisor whatever state it is in (test cleanup).
    func terminate() { process.stop(grace: 15) }
}
