import Foundation
import KubeJSON
import Logging
import NIOConcurrencyHelpers

#if canImport(Glibc)
    import Glibc
#endif

/// Settings of the local runtime (`kubesim --local-runtime`).
public struct LocalRuntimeConfiguration: Sendable {
    /// PATH given to containers that set none (kubesim's own PATH by default).
    public var path: String

    public init(path: String = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin") {
        self.path = path
    }
}

/// Runs each pod's single container `command` + `args` as a local process: its output becomes
/// the container log (`pods/log`), its exit the container's terminated state; deletion stops it
/// with SIGTERM, then SIGKILL after the grace period. Images are ignored (logged once per pod).
final class LocalRuntime: @unchecked Sendable {
    private let configuration: LocalRuntimeConfiguration
    private let lock = NIOLock()
    private var processes: [PodKey: LocalProcess] = [:]
    private let logger = Logger(label: "kubesim.local-runtime")
    /// Called (from a waiter thread) when a process ended.
    var onExit: (@Sendable (PodKey, ContainerExit) -> Void)? {
        get { lock.withLock { exitHandler } }
        set { lock.withLock { exitHandler = newValue } }
    }
    private var exitHandler: (@Sendable (PodKey, ContainerExit) -> Void)?

    init(configuration: LocalRuntimeConfiguration) {
        self.configuration = configuration
    }

    func logImageIgnored(_ key: PodKey, image: String) {
        logger.notice(
            "local runtime: image ignored, the command runs on this machine",
            metadata: ["pod": "\(key)", "image": "\(image)"])
    }

    /// Starts the pod's first container; a command that cannot start ends as StartError (128).
    func start(_ key: PodKey, pod: JSONValue, env: [(String, String)], store: ObjectStore) {
        let container = PodStatusBuilder.containers(pod).first ?? [:]
        let argv = ((container["command"]?.arrayValue ?? []) + (container["args"]?.arrayValue ?? [])).compactMap(
            \.stringValue)
        let containerName = container["name"]?.stringValue ?? ""
        guard !argv.isEmpty else {
            return report(
                key,
                ContainerExit(
                    exitCode: 128, reason: "StartError",
                    message: "kubesim --local-runtime ignores images, so the container needs a command"))
        }
        var environment = ["PATH": configuration.path, "HOSTNAME": key.name]
        for (name, value) in env { environment[name] = value }
        do {
            let process = try LocalProcess(
                argv: argv, environment: environment,
                onOutput: { bytes in
                    try? store.appendLog(
                        namespace: key.namespace, pod: key.name, container: containerName,
                        String(decoding: bytes, as: UTF8.self))
                }, onExit: { [weak self] exit in self?.exited(key, exit) })
            // A command that already ended must not be recorded as running (its exit is reported).
            lock.withLock { if !process.hasExited { processes[key] = process } }
            logger.info(
                "local runtime: started", metadata: ["pod": "\(key)", "pid": "\(process.pid)", "command": "\(argv)"])
        } catch {
            report(key, ContainerExit(exitCode: 128, reason: "StartError", message: "\(error)"))
        }
    }

    func isRunning(_ key: PodKey) -> Bool { lock.withLock { processes[key].map { !$0.hasExited } ?? false } }

    /// The pid of a pod's process while it runs (tests check it is gone after deletion).
    func pid(_ key: PodKey) -> pid_t? { lock.withLock { processes[key]?.pid } }

    /// SIGTERM now, SIGKILL after `graceSeconds` (at once when 0).
    func stop(_ key: PodKey, graceSeconds: Double) {
        guard let process = lock.withLock({ processes[key] }) else { return }
        if graceSeconds <= 0 {
            process.signal(SIGKILL)
            return
        }
        process.signal(SIGTERM)
        DispatchQueue.global().asyncAfter(deadline: .now() + graceSeconds) { process.signal(SIGKILL) }
    }

    /// Kills every process (kubesim is stopping).
    func killAll() {
        let all = lock.withLock { Array(processes.values) }
        all.forEach { $0.signal(SIGKILL) }
    }

    private func exited(_ key: PodKey, _ exit: ContainerExit) {
        lock.withLock { _ = processes.removeValue(forKey: key) }
        logger.info("local runtime: exited", metadata: ["pod": "\(key)", "exitCode": "\(exit.exitCode)"])
        report(key, exit)
    }

    private func report(_ key: PodKey, _ exit: ContainerExit) {
        onExit?(key, exit)
    }
}
