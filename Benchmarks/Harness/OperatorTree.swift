import Foundation
import Spawn
import Synchronization

/// The real `omjob-supervisor` (from the directory of the running executable) and the
/// watcher, executors and gc it spawns, pointed at a `BenchCluster` through its kubeconfig.
/// Its stderr goes to `<directory>/operator.log` so violations can be explained.
public final class OperatorTree: Sendable {
    /// The worker roles, as `/proc/<pid>/comm` names them.
    public enum Role: String, Sendable, CaseIterable {
        case watcher = "omjob-watcher"
        case executor = "omjob-executor"
        case gc = "omjob-gc"
    }

    public let healthPort: Int
    private let environment: [String: String]
    private let logPath: String
    private let process = Mutex<SpawnedProcess?>(nil)
    /// How many times the tree came back as a new pod (a new Lease identity).
    private let generation = Mutex(0)
    /// Every pid the tree ever had (for CPU accounting of restarted processes).
    public let sampler = ProcessSampler()

    /// `name` tells several trees on one cluster apart: their logs (`<name>.log`), run
    /// directories and Lease identities (`omjob-bench-<name>`).
    public convenience init(cluster: BenchCluster, name: String = "operator", settings: [String: String] = [:]) throws {
        try self.init(
            directory: cluster.directory, kubeconfig: cluster.directory + "/kubeconfig", namespace: cluster.namespace,
            name: name, settings: settings)
    }

    /// A tree for any API server: `kubeconfig` reaches it, `namespace` is watched, and
    /// `directory` holds the tree's log and run directory.
    public init(
        directory: String, kubeconfig: String, namespace: String, name: String = "operator",
        settings: [String: String] = [:]
    ) throws {
        healthPort = try FreePort.pick()
        logPath = directory + "/\(name).log"
        var environment = [
            "PATH": "/usr/bin:/bin", "HOME": directory, "KUBECONFIG": kubeconfig,
            "OMJOB_RUN_DIR": directory + (name == "operator" ? "/run" : "/run-\(name)"),
            "HEALTH_CHECK_PORT": String(healthPort),
            "EXECUTOR_WORKERS": "2", "LOG_LEVEL": "WARN", "WATCH_NAMESPACES": namespace,
            "BROKER_QUEUE_LIMIT": "100000", "SHUTDOWN_GRACE_SECONDS": "5",
            // One identity across restarts, as a pod's name: a tree restarted after kill -9
            // takes its own Lease back at once instead of waiting a lease duration.
            "POD_NAME": "omjob-bench-\(name)",
        ]
        environment.merge(settings) { _, new in new }
        self.environment = environment
    }

    /// Starts the supervisor (a no-op while one runs). `asNewPod`: with a new Lease identity,
    /// as a pod that replaces a lost one has a new name, so it cannot take its old Lease back at once.
    public func start(asNewPod: Bool = false) throws {
        try process.withLock { current in
            if let current, current.isRunning { return }
            if asNewPod { generation.withLock { $0 += 1 } }
            if !FileManager.default.fileExists(atPath: logPath) {
                _ = FileManager.default.createFile(atPath: logPath, contents: nil)
            }
            var environment = environment
            environment["POD_NAME"] = identity
            current = try SpawnedProcess(
                executable: RepositoryPaths.binaries + "/omjob-supervisor", environment: environment,
                stdout: .file(logPath), stderr: .file(logPath))
        }
    }

    /// The Lease identity (`POD_NAME`) of the current or next start.
    public var identity: String {
        let base = environment["POD_NAME"] ?? "omjob-bench"
        let count = generation.withLock { $0 }
        return count == 0 ? base : "\(base)-\(count)"
    }

    /// How the last supervisor ended ("exit 1", "signal 9"), once it has.
    public var lastExit: String? {
        guard let ended = process.withLock({ $0 })?.termination else { return nil }
        switch ended {
        case .exited(let code): return "exit \(code)"
        case .signaled(let signal): return "signal \(signal)"
        }
    }

    public var supervisorPID: pid_t? { process.withLock { $0.flatMap { $0.isRunning ? $0.pid : nil } } }
    public var isRunning: Bool { supervisorPID != nil }

    /// The supervisor and its live children.
    public func pids() -> [pid_t] {
        guard let root = supervisorPID else { return [] }
        return [root] + ProcessSampler.children(of: root)
    }

    /// Live workers of `role`.
    public func workers(_ role: Role) -> [pid_t] {
        guard let root = supervisorPID else { return [] }
        return ProcessSampler.children(of: root).filter { ProcessSampler.command($0) == role.rawValue }
    }

    /// Samples the tree's memory and CPU (see `ProcessSampler`).
    @discardableResult
    public func sample() -> MemorySample { sampler.sample(pids()) }

    /// kill -9 of the supervisor and every child, then waits until all are gone.
    public func killAll() {
        let victims = pids()
        for pid in victims.reversed() { kill(pid, SIGKILL) }
        process.withLock { _ = $0?.waitUntilExit() }
        let deadline = Date().addingTimeInterval(10)
        while victims.contains(where: { kill($0, 0) == 0 && !ProcessSampler.isZombie($0) }), Date() < deadline {
            usleep(10_000)
        }
    }

    /// SIGTERM and wait (SIGKILL after 15 s).
    public func stop() {
        guard let running = process.withLock({ $0 }), running.isRunning else { return }
        let children = pids()
        sampler.sample(children)
        running.signal(SIGTERM)
        let deadline = Date().addingTimeInterval(15)
        while running.isRunning, Date() < deadline { usleep(20_000) }
        if running.isRunning { killAll() }
        running.waitUntilExit()
    }

    /// The sum and count of a histogram on the supervisor's `/metrics` (every label set summed).
    public func histogramTotals(_ name: String) -> (sum: Double, count: Double)? {
        guard let text = HealthProbe.body(port: healthPort, path: "/metrics") else { return nil }
        var sum = 0.0
        var count = 0.0
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: " ")
            guard parts.count >= 2, let value = Double(parts[1]) else { continue }
            let series = parts[0].prefix { $0 != "{" }
            if series == name + "_sum" { sum += value } else if series == name + "_count" { count += value }
        }
        return (sum, count)
    }

    /// Waits for /ready; throws at once, with the log's tail, if the supervisor exits instead.
    public func waitUntilReady(timeout: Double) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while !isReady() {
            guard isRunning else { throw HarnessError("omjob-supervisor exited before ready:\n\(logTail())") }
            guard Date() < deadline else {
                throw HarnessError("omjob-supervisor not ready after \(Int(timeout)) s:\n\(logTail())")
            }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    /// GET /ready answers 200.
    public func isReady() -> Bool { HealthProbe.status(port: healthPort, path: "/ready") == 200 }

    /// The operator's log so far (last `bytes`).
    public func logTail(bytes: Int = 4000) -> String {
        guard let data = FileManager.default.contents(atPath: logPath) else { return "" }
        return String(decoding: data.suffix(bytes), as: UTF8.self)
    }

    public var logFile: String { logPath }
}
