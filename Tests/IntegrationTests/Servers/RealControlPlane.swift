import BrokerProtocol
import Foundation
import HTTPTransport
import KubeAPI
import KubeJSON
import Models
import Spawn
import UVLoop

/// One real control plane (etcd, kube-apiserver, kube-controller-manager v1.20.2 from
/// scripts/control-plane) for a whole suite, with the operator installed from deploy/ as a
/// user would: `kubectl apply -k deploy/` (CRDs, namespace, ServiceAccount, least-privilege
/// RBAC, Deployment). The operator under test then authenticates with that ServiceAccount's
/// token, so a verb missing from deploy/'s RBAC fails the scenarios.
///
/// Not built is a failure, never a skip: CI builds it first (`.ci/run` calls build.sh).
final class RealControlPlane: Sendable {
    static let operatorNamespace = "omjob-system"
    static let operatorAccount = "omjob-operator"
    static let nodeName = "node-1"

    let state: String
    let profile: Profile
    let url: String
    let certificateAuthority: String
    /// The admin's client (the scenarios' hands); the operator never uses it.
    let admin: KubeClient
    /// The operator's ServiceAccount token, from the token controller's Secret.
    let operatorToken: String
    private let loop: LoopThread
    private let watchdog: SpawnedProcess
    private let heartbeat: Task<Void, Never>

    /// The control plane of the running suite (set by `.realControlPlane`).
    @TaskLocal static var current: RealControlPlane?

    private init(
        state: String, profile: Profile, url: String, certificateAuthority: String, admin: KubeClient,
        operatorToken: String,
        loop: LoopThread, watchdog: SpawnedProcess, heartbeat: Task<Void, Never>
    ) {
        self.state = state
        self.profile = profile
        self.url = url
        self.certificateAuthority = certificateAuthority
        self.admin = admin
        self.operatorToken = operatorToken
        self.loop = loop
        self.watchdog = watchdog
        self.heartbeat = heartbeat
    }

    /// `environment` goes to start.sh (its options, e.g. OMJOB_CP_NODE_MONITOR_GRACE_PERIOD).
    static func start(_ profile: Profile = .project, environment: [String: String] = [:]) async throws
        -> RealControlPlane
    {
        let scripts = Paths.root.appendingPathComponent("scripts/control-plane").path
        let state = try Paths.temporaryDirectory()
        guard
            try await Command.run(["bash", "-c", ". \(scripts)/lib.sh && cp_binaries_present"], in: state).status == 0
        else {
            throw IntegrationFailure(
                """
                the real control plane is not built: run scripts/control-plane/build.sh once on this machine \
                (CI's .ci/run does); the real-server scenarios are never skipped
                """)
        }
        let options = environment.merging([
            "OMJOB_CP_OWNER_REFERENCES_ENFORCEMENT": profile.ownerReferencesEnforcement ? "1" : "0"
        ]) { _, new in new }
        try await Command.check(["\(scripts)/start.sh", state], environment: options, in: state)
        // If this process dies without stopping it, the watchdog does: nothing is left running.
        let watchdog = try Self.watchdog(scripts: scripts, state: state)
        do {
            return try await install(profile, state: state, watchdog: watchdog)
        } catch {
            watchdog.signal(SIGTERM)
            _ = try? await Command.run(["\(scripts)/stop.sh", state], in: state)
            throw error
        }
    }

    private static func install(_ profile: Profile, state: String, watchdog: SpawnedProcess) async throws
        -> RealControlPlane
    {
        let environment = try Self.environment(state: state)
        guard let url = environment["KUBE_API_URL"], let token = environment["KUBE_API_TOKEN"],
            let ca = environment["KUBE_API_CA"], let kubeconfig = environment["KUBECONFIG"]
        else {
            throw IntegrationFailure("\(state)/env lacks KUBE_API_URL, KUBE_API_TOKEN, KUBE_API_CA or KUBECONFIG")
        }
        let kubectl = try Self.kubectl()
        let env = ["KUBECONFIG": kubeconfig]
        for arguments in profile.installation {
            try await Command.check([kubectl, "apply"] + arguments, environment: env, in: state)
        }
        try await Command.check(
            [
                kubectl, "wait", "--for", "condition=established", "--timeout", "60s",
                "crd/omjobs.pipelines.openmetadata.org", "crd/cronomjobs.pipelines.openmetadata.org",
            ],
            environment: env, in: state)
        let loop = try LoopThread(name: "real-control-plane")
        let admin = KubeClient(
            configuration: ClusterConfiguration(
                server: url, tls: TLSOptions(certificateAuthority: .file(ca)),
                credentials: .token(token)),
            executor: loop.executor)
        do {
            try await NodeHeartbeat.createReadyNode(nodeName, admin: admin)
            let operatorToken = try await ServiceAccountToken.read(
                namespace: operatorNamespace, account: operatorAccount, admin: admin)
            let heartbeat = Task { await NodeHeartbeat.keepReady(nodeName, admin: admin) }
            return RealControlPlane(
                state: state, profile: profile, url: url, certificateAuthority: ca, admin: admin,
                operatorToken: operatorToken,
                loop: loop, watchdog: watchdog, heartbeat: heartbeat)
        } catch {
            loop.stopAndWait()
            throw error
        }
    }

    /// Stops every process of the control plane by its pid (stop.sh) and removes its state.
    func stop() async {
        heartbeat.cancel()
        _ = await heartbeat.value
        loop.stopAndWait()
        watchdog.signal(SIGTERM)
        _ = watchdog.waitExit(timeout: 5)  // it traps TERM and exits at once; reap it
        let scripts = Paths.root.appendingPathComponent("scripts/control-plane").path
        _ = try? await Command.check(["\(scripts)/stop.sh", state], in: state)
        try? FileManager.default.removeItem(atPath: state)
    }

    /// `export NAME="value"` lines of start.sh's env file.
    private static func environment(state: String) throws -> [String: String] {
        let text = try String(contentsOfFile: state + "/env", encoding: .utf8)
        var result: [String: String] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("export ") {
            let pair = line.dropFirst("export ".count).split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            result[String(pair[0])] = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        return result
    }

    /// kubectl on PATH, else the one scripts/validate-manifests.sh installs into .build/tools.
    private static func kubectl() throws -> String {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let path = "\(directory)/kubectl"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        let tools = Paths.root.appendingPathComponent(".build/tools/bin/kubectl").path
        guard FileManager.default.isExecutableFile(atPath: tools) else {
            throw IntegrationFailure(
                "kubectl not found (PATH or .build/tools/bin): `make validate-manifests` installs it")
        }
        return tools
    }

    /// A shell that waits for this test process to end, then stops the control plane.
    private static func watchdog(scripts: String, state: String) throws -> SpawnedProcess {
        let pid = ProcessInfo.processInfo.processIdentifier
        return try SpawnedProcess(
            executable: "/bin/bash",
            arguments: [
                "-c",
                "trap 'exit 0' TERM; while kill -0 \(pid) 2>/dev/null; do sleep 1 & wait $!; done; '\(scripts)/stop.sh' '\(state)'",
            ],
            environment: ProcessInfo.processInfo.environment)
    }
}

extension RealControlPlane {
    /// The server's answer when the operator's token lists Secrets in `namespace`: its code
    /// (200 when allowed) and message.
    func listSecretsAsOperator(namespace: String) async -> (code: Int?, message: String) {
        let configuration = ClusterConfiguration(
            server: url, tls: TLSOptions(certificateAuthority: .file(certificateAuthority)),
            credentials: .token(operatorToken))
        let client = KubeClient(configuration: configuration, executor: loop.executor)
        let secrets = ResourceType(group: "", version: "v1", kind: "Secret", plural: "secrets")
        do {
            _ = try await client.listPage(JSONValue.self, resource: secrets, namespace: namespace)
            return (200, "listed")
        } catch {
            return (error.code, error.status?.message ?? "\(error)")
        }
    }
}

extension RealControlPlane {
    /// What the server answers when the operator asks about `permissions` (SelfSubjectAccessReview
    /// with the operator's token, as its watcher does at start).
    func reviewAsOperator(_ permissions: [Permission]) async throws -> PermissionReview {
        let configuration = ClusterConfiguration(
            server: url, tls: TLSOptions(certificateAuthority: .file(certificateAuthority)),
            credentials: .token(operatorToken))
        return try await KubeClient(configuration: configuration, executor: loop.executor).review(permissions)
    }

    /// Takes every rule on core `events` out of the chart's per-namespace ClusterRole, as a
    /// narrower install would, and returns once the server refuses the operator `create events`
    /// (the chart binds that role cluster-wide: one namespace answers for all).
    func refuseEventsToTheOperator() async throws {
        let roles = ResourceType(
            group: "rbac.authorization.k8s.io", version: "v1", kind: "ClusterRole", plural: "clusterroles",
            namespaced: false)
        let name = "openmetadata-chart-omjob-operator-pipelines"
        var role = try await admin.get(JSONValue.self, resource: roles, namespace: nil, name: name)
        let rules = role["rules"]?.arrayValue ?? []
        let kept = rules.filter { !($0["resources"]?.arrayValue ?? []).contains(.string("events")) }
        guard kept.count < rules.count else { throw IntegrationFailure("\(name) has no rule on events") }
        role["rules"] = .array(kept)
        _ = try await admin.replace(role, resource: roles, namespace: nil, name: name)
        let events = Permission(
            "create", "events", namespace: "default", required: false, withoutIt: "no Events are recorded")
        _ = try await until("create events refused to the operator") {
            try await self.reviewAsOperator([events]).missing == [events] ? true : nil
        }
    }
}
