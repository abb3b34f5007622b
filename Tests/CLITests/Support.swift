import Foundation
import KubeJSON
import KubeSim
import OMJobCLI
import Spawn

/// Where the repository's files and built products are.
enum Repo {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let crds = root.appendingPathComponent("deploy/crds").path

    /// A built product: `$OMJOB_BIN_DIR`, else `.build/debug` (`make test` builds every product first).
    static func product(_ name: String) throws -> String {
        let configured = ProcessInfo.processInfo.environment["OMJOB_BIN_DIR"].flatMap { $0.isEmpty ? nil : $0 }
        let path = (configured ?? root.appendingPathComponent(".build/debug").path) + "/" + name
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw TestFailure("\(path) is missing: run `swift build` first")
        }
        return path
    }

    static func temporaryDirectory() throws -> String {
        var template = Array((NSTemporaryDirectory() + "/omjob-cli-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw TestFailure("mkdtemp failed") }
        return URL(fileURLWithPath: String(cString: made)).standardizedFileURL.path
    }

    /// A program on PATH, or nil.
    static func which(_ program: String) -> String? {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(directory)/\(program)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    /// True in CI, where a missing tool is a failure, never a skip.
    static var inCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// A directory holding `kubectl-omjob`, a link to the built `omjob`, as the image installs it.
    static func pluginDirectory() throws -> String {
        let directory = try temporaryDirectory()
        try FileManager.default.createSymbolicLink(
            atPath: directory + "/kubectl-omjob", withDestinationPath: try product("omjob"))
        return directory
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// What a command printed and how it ended.
struct Outcome: CustomStringConvertible {
    var code: Int32
    var out: String
    var err: String
    var description: String { "exit \(code)\n--- stdout\n\(out)--- stderr\n\(err)" }
}

/// Runs a program to completion (bounded), its output in files, never pipes that could fill.
func runProgram(_ executable: String, _ arguments: [String], environment: [String: String], timeout: Double = 60) throws
    -> Outcome
{
    let directory = try Repo.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let out = directory + "/out"
    let err = directory + "/err"
    _ = FileManager.default.createFile(atPath: out, contents: nil)
    _ = FileManager.default.createFile(atPath: err, contents: nil)
    let process = try SpawnedProcess(
        executable: executable, arguments: arguments, environment: environment, stdout: .file(out), stderr: .file(err))
    guard let code = process.waitExit(timeout: timeout) else {
        process.signal(SIGKILL)
        _ = process.waitExit(timeout: 5)
        throw TestFailure("\(executable) \(arguments.joined(separator: " ")) ran over \(timeout) s")
    }
    return Outcome(
        code: code, out: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
        err: (try? String(contentsOfFile: err, encoding: .utf8)) ?? "")
}

/// Polls `condition` every 50 ms until it gives a value; the timeout only bounds a hang.
func eventually<T>(_ what: String, timeout: Double = 30, _ condition: () throws -> T?) async throws -> T {
    let deadline = Date().addingTimeInterval(timeout)
    while true {
        if let value = try? condition() { return value }
        if Date() > deadline { throw TestFailure("timed out waiting for \(what)") }
        try await Task.sleep(for: .milliseconds(50))
    }
}

/// kubesim in-process with the project's CRDs, a kubeconfig pointing at it, and the commands run
/// in-process (the same code the executable runs) or through the built executable.
final class SimHarness: Sendable {
    static let token = "cli-test-token"
    let sim: KubeSimServer
    let directory: String
    let namespace: String

    static func with<T>(namespace: String = "pipelines", _ body: (SimHarness) async throws -> T) async throws -> T {
        let sim = try await KubeSimServer.start(.init(token: token, crdDirectory: Repo.crds, threads: 1))
        let harness: SimHarness
        do {
            harness = try SimHarness(sim: sim, namespace: namespace)
        } catch {
            try? await sim.shutdown()
            throw error
        }
        do {
            let result = try await body(harness)
            try await sim.shutdown()
            try? FileManager.default.removeItem(atPath: harness.directory)
            return result
        } catch {
            try? await sim.shutdown()
            try? FileManager.default.removeItem(atPath: harness.directory)
            throw error
        }
    }

    private init(sim: KubeSimServer, namespace: String) throws {
        self.sim = sim
        self.namespace = namespace
        directory = try Repo.temporaryDirectory()
        let config = """
            apiVersion: v1
            kind: Config
            clusters:
            - name: sim
              cluster: {server: "\(sim.baseURL)"}
            users:
            - name: tester
              user: {token: "\(Self.token)"}
            contexts:
            - name: sim
              context: {cluster: sim, user: tester, namespace: \(namespace)}
            - name: elsewhere
              context: {cluster: sim, user: tester, namespace: other}
            current-context: sim
            """
        try config.write(toFile: kubeconfig, atomically: true, encoding: .utf8)
        _ = try sim.store.create(
            .namespaces, namespace: nil,
            object: ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(namespace)]])
        _ = try sim.store.create(
            .namespaces, namespace: nil,
            object: ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "other"]])
    }

    var kubeconfig: String { directory + "/kubeconfig" }
    var environment: [String: String] { ["KUBECONFIG": kubeconfig, "HOME": directory, "PATH": "/usr/bin:/bin"] }

    /// `kubectl omjob ARGS`, in-process.
    func kubectl(_ arguments: String..., tty: Bool = false, now: Date = Date()) async -> Outcome {
        await kubectl(arguments, tty: tty, now: now)
    }

    /// `environment` replaces the harness's own (`KUBECONFIG` naming its kubeconfig).
    func kubectl(
        _ arguments: [String], tty: Bool = false, now: Date = Date(), environment: [String: String]? = nil
    ) async -> Outcome {
        let terminal = Terminal.capture(tty: tty)
        let code = await OMJobCLI.kubectl(
            arguments,
            context: CLIContext(terminal: terminal, environment: environment ?? self.environment, now: { now }))
        return Outcome(code: code, out: terminal.output, err: terminal.errors)
    }

    // MARK: objects, written as the operator and the kubelet would

    static let omjobs = GroupResource(group: "pipelines.openmetadata.org", resource: "omjobs")
    static let cronomjobs = GroupResource(group: "pipelines.openmetadata.org", resource: "cronomjobs")

    @discardableResult
    func createOMJob(
        _ name: String, runID: String = "3f2a9c1e-5b7d-4e8a-9c0f-1a2b3c4d5e6f", finalizer: Bool = false,
        status: JSONValue? = nil,
        namespace: String? = nil
    ) throws -> JSONValue {
        var object = Objects.omjob(name, runID: runID)
        if finalizer { object[at: ["metadata", "finalizers"]] = ["omjob.pipelines.openmetadata.org/exit-handler"] }
        var created = try sim.store.create(Self.omjobs, namespace: namespace ?? self.namespace, object: object)
        if let status {
            created = try sim.store.patch(
                Self.omjobs, namespace: namespace ?? self.namespace, name: name, type: .merge,
                patch: ["status": status], subresource: .status)
        }
        return created
    }

    /// Waits (30 s at most: spawning is slow on a loaded machine) until kubesim has started `count` watches since `before`: a command
    /// that has started watching has read the object first, so a change made after this is seen
    /// as a change, never as the starting state.
    func waitForWatches(_ count: Int, above before: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while sim.store.watchesStarted < before + count {
            guard ContinuousClock.now < deadline else {
                throw TestFailure("kubesim started \(sim.store.watchesStarted - before) watches, expected \(count)")
            }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    func setStatus(_ name: String, _ status: JSONValue) throws {
        _ = try sim.store.patch(
            Self.omjobs, namespace: namespace, name: name, type: .merge, patch: ["status": status], subresource: .status
        )
    }

    @discardableResult
    func createPod(_ name: String, of omjob: JSONValue, type: String, attempt: Int? = nil, finalizer: Bool = false)
        throws -> JSONValue
    {
        var labels: [String: JSONValue] = [
            "omjob.pipelines.openmetadata.org/name": .string(omjob.name),
            "omjob.pipelines.openmetadata.org/pod-type": .string(type),
            "omjob.pipelines.openmetadata.org/uid": .string(omjob.uid),
            "app.kubernetes.io/managed-by": "omjob-operator",
        ]
        if let attempt { labels["omjob.pipelines.openmetadata.org/attempt"] = .string(String(attempt)) }
        var pod: JSONValue = [
            "apiVersion": "v1", "kind": "Pod",
            "metadata": ["name": .string(name), "labels": .object(labels)],
            "spec": [
                "restartPolicy": "Never",
                "containers": [["name": "main", "image": "busybox:1.36", "command": ["sh", "-c", "true"]]],
            ],
        ]
        if finalizer { pod[at: ["metadata", "finalizers"]] = ["omjob.pipelines.openmetadata.org/exit-handler"] }
        return try sim.store.create(.pods, namespace: namespace, object: pod)
    }

    /// Sets a pod's phase and its `main` container's state, as the kubelet reports it.
    func setPod(_ name: String, phase: String, exitCode: Int? = nil, reason: String? = nil) throws {
        let state: JSONValue =
            exitCode.map { ["terminated": ["exitCode": .int(Int64($0)), "reason": .string(reason ?? "Completed")]] }
            ?? ["running": ["startedAt": "2026-01-01T00:00:00Z"]]
        _ = try sim.store.patch(
            .pods, namespace: namespace, name: name, type: .merge,
            patch: [
                "status": [
                    "phase": .string(phase),
                    "containerStatuses": [
                        [
                            "name": "main", "ready": .bool(exitCode == nil), "restartCount": 0, "image": "busybox:1.36",
                            "imageID": "", "state": state,
                        ]
                    ],
                ]
            ], subresource: .status)
    }
}

/// Objects shaped as OpenMetadata and the operator make them.
enum Objects {
    static func omjob(_ name: String, runID: String) -> JSONValue {
        let env: JSONValue = [
            ["name": "pipelineRunId", "value": .string(runID)], ["name": "jobName", "value": .string(name)],
            ["name": "config", "value": .string("workflowConfig:\n  loggerLevel: INFO\npipelineRunId: \(runID)\n")],
        ]
        return [
            "apiVersion": "pipelines.openmetadata.org/v1", "kind": "OMJob",
            "metadata": [
                "name": .string(name),
                "labels": [
                    "app.kubernetes.io/pipeline": "mysql-prod-metadata", "app.kubernetes.io/run-id": .string(runID),
                ],
            ],
            "spec": [
                "mainPodSpec": [
                    "image": "openmetadata/ingestion-base:1.12.0", "command": ["sh", "-c", "echo main"], "env": env,
                    "serviceAccountName": "openmetadata-ingestion",
                    "labels": ["app.kubernetes.io/run-id": .string(runID)],
                ],
                "exitHandlerSpec": [
                    "image": "openmetadata/ingestion-base:1.12.0", "command": ["sh", "-c", "echo exit"], "env": env,
                ],
                "ttlSecondsAfterFinished": 600,
            ],
        ]
    }

    static func cronomjob(_ name: String) -> JSONValue {
        [
            "apiVersion": "pipelines.openmetadata.org/v1", "kind": "CronOMJob",
            "metadata": ["name": .string(name), "labels": ["app.kubernetes.io/pipeline": "nightly"]],
            "spec": [
                "schedule": "0 3 * * *", "suspend": true,
                "omJobSpec": [
                    "mainPodSpec": [
                        "image": "openmetadata/ingestion-base:1.12.0", "command": ["sh", "-c", "echo main"],
                        "serviceAccountName": "openmetadata-ingestion",
                        "env": [
                            ["name": "pipelineRunId", "value": "{{ omjob.uid }}"],
                            ["name": "jobName", "value": "{{ omjob.name }}"],
                        ],
                    ],
                    "exitHandlerSpec": [
                        "image": "openmetadata/ingestion-base:1.12.0", "command": ["sh", "-c", "echo exit"],
                    ],
                ],
            ],
        ]
    }
}

extension JSONValue {
    var name: String { self[path: ["metadata", "name"]]?.stringValue ?? "" }
    var uid: String { self[path: ["metadata", "uid"]]?.stringValue ?? "" }

    /// Reads and writes a nested value by path (creating objects on the way).
    subscript(at path: [String]) -> JSONValue? {
        get {
            var current: JSONValue? = self
            for key in path { current = current?[key] }
            return current
        }
        set {
            guard let first = path.first else { return }
            if path.count == 1 {
                self[first] = newValue
                return
            }
            var child = self[first] ?? .object([:])
            child[at: Array(path.dropFirst())] = newValue
            self[first] = child
        }
    }

    static func parse(_ text: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }
}
