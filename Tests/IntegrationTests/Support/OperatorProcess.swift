import Foundation
import KubeJSON
import Synchronization
import TestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// The real `omjob-supervisor` (which spawns the real watcher, executors and gc), started with
/// a kubeconfig and settings, its stderr captured. Stopped with SIGTERM, then SIGKILL after 10 s.
final class OperatorProcess: Sendable {
    private let process = Mutex<SupervisorProcess?>(nil)
    /// The log of every start, kept across restarts of the operator within one test.
    private let earlierLogs = Mutex<[String]>([])

    /// `executable` is the supervisor to run: the built `omjob-supervisor` unless given.
    func start(kubeconfig: String, directory: String, settings: [String: String], executable: String? = nil) throws {
        var env = [
            "PATH": "/usr/bin:/bin", "HOME": directory, "KUBECONFIG": kubeconfig,
            "OMJOB_RUN_DIR": directory + "/run", "HEALTH_CHECK_PORT": "0", "EXECUTOR_WORKERS": "2",
            "HEARTBEAT_INTERVAL_MS": "200", "SHUTDOWN_GRACE_SECONDS": "5", "LOG_LEVEL": "DEBUG",
        ]
        env.merge(settings) { _, new in new }
        let started = try SupervisorProcess(
            executable: try executable ?? Paths.product("omjob-supervisor"), environment: env)
        process.withLock { $0 = started }
    }

    /// The running supervisor's pid.
    var pid: Int32? { process.withLock { $0 }?.pid }

    /// kill -9 of the supervisor and every process under it at once, as a node dying does.
    func killTree() {
        guard
            let stopped = process.withLock({ value -> SupervisorProcess? in
                defer { value = nil }
                return value
            })
        else { return }
        for pid in [stopped.pid] + Self.descendants(of: stopped.pid) { Glibc.kill(pid, SIGKILL) }
        _ = stopped.waitExit(timeout: 10)
        earlierLogs.withLock { $0.append(stopped.text) }
    }

    /// SIGTERM to the supervisor, as a rolling update sends it; `stop()` waits for the exit.
    func terminate() { process.withLock { $0 }?.signal(SIGTERM) }

    static func descendants(of root: Int32) -> [Int32] {
        var parents: [Int32: Int32] = [:]
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int32(entry),
                let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 1, let parent = Int32(fields[1]) { parents[pid] = parent }
        }
        var found: [Int32] = []
        var frontier = [root]
        while let next = frontier.popLast() {
            let children = parents.filter { $0.value == next }.map(\.key)
            found += children
            frontier += children
        }
        return found
    }

    /// Waits until the supervisor (and so its tree) is gone.
    func stop() {
        guard
            let stopped = process.withLock({ value -> SupervisorProcess? in
                defer { value = nil }
                return value
            })
        else { return }
        stopped.stop()
        earlierLogs.withLock { $0.append(stopped.text) }
    }

    /// The health port of the running supervisor, once it logged it.
    var healthPort: Int? { process.withLock { $0 }?.healthPort }

    /// Everything logged by every start so far.
    var log: String {
        (earlierLogs.withLock { $0 } + [process.withLock { $0 }?.text ?? ""]).joined(separator: "\n")
    }

    /// The JSON log lines so far, each as an object (`message`, `level`, the metadata keys).
    var logLines: [JSONValue] {
        log.split(separator: "\n").compactMap { try? JSONDecoder().decode(JSONValue.self, from: Data($0.utf8)) }
    }
}
