import Foundation
import Synchronization

/// The real `omjob-supervisor` (which spawns the real watcher, executors and gc), started with
/// a kubeconfig and settings, its stderr captured. Stopped with SIGTERM, then SIGKILL after 10 s.
final class OperatorProcess: Sendable {
    private let process = Mutex<Process?>(nil)
    let logs = LogBuffer()

    func start(kubeconfig: String, directory: String, settings: [String: String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try Paths.product("omjob-supervisor"))
        var env = ["PATH": "/usr/bin:/bin", "HOME": directory, "KUBECONFIG": kubeconfig,
                   "OMJOB_RUN_DIR": directory + "/run", "HEALTH_CHECK_PORT": "0", "EXECUTOR_WORKERS": "2",
                   "HEARTBEAT_INTERVAL_MS": "200", "SHUTDOWN_GRACE_SECONDS": "5", "LOG_LEVEL": "DEBUG"]
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
        self.process.withLock { $0 = process }
    }

    /// Waits until the supervisor (and so its tree) is gone.
    func stop() {
        guard let process = process.withLock({ value -> Process? in defer { value = nil }; return value }) else { return }
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning, Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    var log: String { logs.chunks.withLock { $0.joined() } }
}
