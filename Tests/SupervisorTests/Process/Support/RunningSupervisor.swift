import TestSupport
import Foundation
import Synchronization

/// The real `omjob-supervisor` executable, started for one test with its own run directory,
/// an ephemeral health port, and its JSON log lines captured for assertions.
final class RunningSupervisor: Sendable {
    let process: Process
    let runDirectory: String
    private let store = LineStore()

    /// Starts the supervisor with `environment` on top of a minimal test environment.
    /// `launcher` runs the supervisor through another program (e.g. `unshare` to make it PID 1).
    init(runDirectory: String, environment: [String: String] = [:], launcher: [String] = []) throws {
        self.runDirectory = runDirectory
        process = Process()
        let supervisor = try BuiltProducts.path("omjob-supervisor")
        process.executableURL = URL(fileURLWithPath: launcher.first ?? supervisor)
        process.arguments = launcher.isEmpty ? [] : Array(launcher.dropFirst()) + [supervisor]
        var env = ["PATH": "/usr/bin:/bin", "HOME": "/tmp", "HEALTH_CHECK_PORT": "0", "OMJOB_RUN_DIR": runDirectory,
                   "HEARTBEAT_INTERVAL_MS": "200", "SHUTDOWN_GRACE_SECONDS": "10", "EXECUTOR_WORKERS": "2", "LOG_LEVEL": "DEBUG"]
        // The real roles need an API server; supervision and brokering are tested with stand-ins.
        let echo = try BuiltProducts.path("omjob-echo-worker")
        for role in ["WATCHER", "EXECUTOR", "GC"] { env["OMJOB_\(role)_COMMAND"] = echo }
        env.merge(environment) { _, new in new }
        process.environment = env
        let pipe = Pipe()
        process.standardError = pipe
        process.standardOutput = FileHandle.nullDevice
        let store = self.store
        pipe.fileHandleForReading.readabilityHandler = { handle in
            let chunk = handle.availableData
            if chunk.isEmpty { handle.readabilityHandler = nil; return }
            let complete: [String] = store.buffer.withLock { data in
                data.append(chunk)
                var out: [String] = []
                while let newline = data.firstIndex(of: 0x0a) {
                    out.append(String(decoding: data[data.startIndex..<newline], as: UTF8.self))
                    data.removeSubrange(data.startIndex...newline)
                }
                return out
            }
            store.lines.withLock { $0 += complete }
        }
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }
    var socketPath: String { runDirectory + "/broker.sock" }

    /// Every log line so far, parsed.
    var logs: [[String: Any]] {
        store.lines.withLock { $0 }.compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
        }
    }

    /// Raw log lines (including any non-JSON output), for failure messages.
    var rawLogs: String { store.lines.withLock { $0.joined(separator: "\n") } }

    /// Supervisor log lines with this message.
    func supervisorLogs(_ message: String) -> [[String: Any]] {
        logs.filter { $0["role"] as? String == "supervisor" && $0["message"] as? String == message }
    }

    /// Waits for the health port from the "supervisor listening" line.
    func healthPort() throws -> Int {
        var port: Int?
        _ = eventually { port = (supervisorLogs("supervisor listening").first?["health.port"] as? String).flatMap(Int.init); return port != nil }
        guard let port else { throw TestFailure("supervisor did not start listening:\n\(rawLogs)") }
        return port
    }

    /// Waits until `/ready` answers 200.
    func waitReady() throws -> Int {
        let port = try healthPort()
        guard eventually(timeout: 30, { (try? LoopbackHTTP.get(port: port, path: "/ready"))?.status == 200 }) else {
            throw TestFailure("tree never became ready:\n\(rawLogs)")
        }
        return port
    }

    /// Waits for the process to exit; nil on timeout.
    func waitExit(timeout: Double = 30) -> Int32? {
        guard eventually(timeout: timeout, { !process.isRunning }) else { return nil }
        return process.terminationStatus
    }

    func signal(_ signal: Int32) { kill(pid, signal) }

    /// Ends the supervisor whatever state it is in (test cleanup).
    func terminate() {
        guard process.isRunning else { return }
        signal(SIGTERM)
        if waitExit(timeout: 15) == nil {
            signal(SIGKILL)
            process.waitUntilExit()
        }
    }
}

/// The captured stderr: partial bytes and complete lines.
final class LineStore: Sendable {
    let buffer = Mutex<Data>(Data())
    let lines = Mutex<[String]>([])
}
