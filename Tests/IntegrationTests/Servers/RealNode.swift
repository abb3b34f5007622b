import BrokerProtocol
import Foundation
import KubeJSON
import Models
import Spawn
import TestSupport

/// A real node for a whole suite: the project's control plane (started with a 15 s node
/// monitor grace period, so node loss takes seconds) joined by scripts/node's kubelet v1.20.2,
/// containerd, runc and kube-scheduler. Pods really run: the test image (scripts/node/image)
/// plays OpenMetadata's containers. The control plane's heartbeated fake node gets a
/// NoSchedule taint, so every pod lands on the real one; it stays, because with a single node
/// the controller manager stops evicting ("master disruption mode").
///
/// On CI (`CI=true`) a node that cannot start fails the suite; elsewhere a host that cannot
/// run it (`RealNodeHost`) disables the suite with check.sh's one-line reason.
final class RealNode: Sendable {
    let plane: RealControlPlane
    let state: String
    let name: String
    let containerdSocket: String
    private let service: ScriptedService

    /// The node of the running suite (set by `.realNode`).
    @TaskLocal static var current: RealNode?

    static let scripts = Paths.root.appendingPathComponent("scripts/node").path
    /// The grace period the control plane is started with (the controller manager's flag).
    static let nodeMonitorGracePeriod = "15s"

    private init(
        plane: RealControlPlane, state: String, name: String, containerdSocket: String, service: ScriptedService
    ) {
        self.plane = plane
        self.state = state
        self.name = name
        self.containerdSocket = containerdSocket
        self.service = service
    }

    static func start() async throws -> RealNode {
        // The audit log counts the operator's writes per run (`EndingScenario.writeBudget`).
        let plane = try await RealControlPlane.start(environment: [
            "OMJOB_CP_NODE_MONITOR_GRACE_PERIOD": nodeMonitorGracePeriod, "OMJOB_CP_AUDIT_LOG": "1",
        ])
        do {
            return try await join(plane)
        } catch {
            await plane.stop()
            throw error
        }
    }

    private static func join(_ plane: RealControlPlane) async throws -> RealNode {
        let state = try Paths.temporaryDirectory()
        let service = try await ScriptedService.start(scripts: scripts, arguments: [plane.state, state], state: state)
        let node = RealNode(
            plane: plane, state: state, name: "omjob-real-node",
            containerdSocket: state + "/containerd/containerd.sock",
            service: service)
        do {
            let taint: JSONValue = ["spec": ["taints": [["key": "omjob.test/no-kubelet", "effect": "NoSchedule"]]]]
            _ = try await plane.admin.patch(
                JSONValue.self, resource: NodeHeartbeat.nodes, namespace: nil, name: RealControlPlane.nodeName,
                patch: taint)
            // deploy/'s Deployment would now land on the real node and pull an image no registry
            // here serves; the operator under test runs as a local process instead.
            let deployments = ResourceType(group: "apps", version: "v1", kind: "Deployment", plural: "deployments")
            _ = try await plane.admin.patch(
                JSONValue.self, resource: deployments, namespace: RealControlPlane.operatorNamespace,
                name: "omjob-operator", patch: ["spec": ["replicas": 0]])
        } catch {
            await node.stopNode()
            throw error
        }
        return node
    }

    /// Stops the node (stop.sh: every process by pid, every machine change undone), then the control plane.
    func stop() async {
        await stopNode()
        await plane.stop()
    }

    private func stopNode() async {
        await service.stop()
        try? FileManager.default.removeItem(atPath: state)
    }

    /// Stops only the kubelet (the containers keep running), as when a node's kubelet dies.
    func stopKubelet() async throws {
        try await HelperProgram.check(["\(Self.scripts)/kubelet.sh", state, "stop"], in: state)
    }

    /// Starts the kubelet again with the same configuration.
    func startKubelet() async throws {
        try await HelperProgram.check(["\(Self.scripts)/kubelet.sh", state, "start"], in: state)
    }

    /// The host pid of a running container's first process (`containerd://ID` from a pod's
    /// status), from containerd's task list; nil when its task is gone.
    func pid(ofContainer containerID: String) async throws -> Int32? {
        let id = containerID.replacingOccurrences(of: "containerd://", with: "")
        // Command writes its output files in the directory it is given: one of its own per call.
        let directory = try Paths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let tasks = try await HelperProgram.check(
            ["ctr", "--address", containerdSocket, "-n", "k8s.io", "tasks", "ls"], in: directory)
        for line in tasks.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if fields.count >= 3, fields[0] == id, fields[2] == "RUNNING" { return Int32(fields[1]) }
        }
        return nil
    }

    /// Hands the test image's `omjob-test` an instruction (`exit N`, `oom`, `fill`): written
    /// into the container's /tmp from the host, through /proc/PID/root.
    func instruct(container containerID: String, _ instruction: String) async throws {
        guard let pid = try await pid(ofContainer: containerID) else {
            throw IntegrationFailure("container \(containerID) is not running: cannot tell it `\(instruction)`")
        }
        let directory = "/proc/\(pid)/root/tmp"
        try (instruction + "\n").write(toFile: directory + "/omjob-action.new", atomically: false, encoding: .utf8)
        guard rename(directory + "/omjob-action.new", directory + "/omjob-action") == 0 else {
            throw IntegrationFailure("could not hand `\(instruction)` to container \(containerID) (errno \(errno))")
        }
        // omjob-test polls every 0.1 s and removes the file as it reads it.
        let deadline = Date().addingTimeInterval(10)
        while FileManager.default.fileExists(atPath: directory + "/omjob-action") {
            guard Date() < deadline, kill(pid, 0) == 0 else {
                let command = (try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8)) ?? "gone"
                throw IntegrationFailure(
                    "container \(containerID) (pid \(pid), \(command)) did not read `\(instruction)` within 10 s")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// A real signal to the container's first process, from the host.
    func signal(container containerID: String, _ signal: Int32) async throws {
        guard let pid = try await pid(ofContainer: containerID) else {
            throw IntegrationFailure("container \(containerID) is not running: cannot signal it")
        }
        guard kill(pid, signal) == 0 else { throw IntegrationFailure("kill(\(pid), \(signal)) failed: errno \(errno)") }
    }
}

/// Whether this host can run the real node, asked once (scripts/node/check.sh): the suite's
/// `.enabled(if:)` condition and the one-line reason when it cannot. On CI the answer is
/// always "run": a node that cannot start there fails the suite instead.
enum RealNodeHost {
    static let check: (runnable: Bool, reason: String) = {
        if ProcessInfo.processInfo.environment["CI"] == "true" { return (true, "CI=true: the real node must run") }
        guard let output = try? Paths.temporaryDirectory(),
            let process = try? SpawnedProcess(
                executable: "/bin/bash", arguments: ["-c", "'\(RealNode.scripts)/check.sh' > '\(output)/out' 2>&1"],
                environment: ProcessInfo.processInfo.environment)
        else {
            return (false, "the real node cannot run on this host: scripts/node/check.sh could not be started")
        }
        defer { try? FileManager.default.removeItem(atPath: output) }
        let status = process.waitExit(timeout: 30)
        let said = ((try? String(contentsOfFile: output + "/out", encoding: .utf8)) ?? "").trimmingCharacters(
            in: .whitespacesAndNewlines)
        return status == 0
            ? (true, said)
            : (false, "the real node cannot run on this host: \(said.isEmpty ? "scripts/node/check.sh failed" : said)")
    }()
}
