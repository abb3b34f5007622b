import Foundation
import Spawn

/// The operator's process tree, started from the executables beside this program.
struct BenchTree {
    let process: SpawnedProcess
    let directory: String

    var socket: String { directory + "/broker.sock" }

    static func start() throws -> BenchTree {
        let binaries = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent().path
        let directory = NSTemporaryDirectory() + "/omjob-bench-\(getpid())"
        var environment = [
            "PATH": "/usr/bin:/bin", "HEALTH_CHECK_PORT": "0", "OMJOB_RUN_DIR": directory,
            "EXECUTOR_WORKERS": "2", "LOG_LEVEL": "WARN", "BROKER_QUEUE_LIMIT": "100000",
        ]
        // The real watcher and executor need an API server; without OMJOB_BENCH_REAL_ROLES the
        // roles are omjob-echo-worker, which measures the supervisor and broker alone.
        if ProcessInfo.processInfo.environment["OMJOB_BENCH_REAL_ROLES"] == nil {
            for role in ["WATCHER", "EXECUTOR", "GC"] {
                environment["OMJOB_\(role)_COMMAND"] = binaries + "/omjob-echo-worker"
            }
        }
        let process = try SpawnedProcess(
            executable: binaries + "/omjob-supervisor", environment: environment,
            stdout: .inherit, stderr: .inherit)
        let deadline = Date().addingTimeInterval(30)
        while !FileManager.default.fileExists(atPath: directory + "/broker.sock") {
            guard Date() < deadline, process.isRunning else { throw BenchError("supervisor did not start") }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return BenchTree(process: process, directory: directory)
    }

    func stop() {
        process.signal(SIGTERM)
        process.waitUntilExit()
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
