import BrokerProtocol
import Foundation
import HTTPTransport
import KubeAPI
import KubeJSON
import Models
import Spawn
import TestSupport
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
    private let service: ScriptedService
    private let heartbeat: Task<Void, Never>

    /// The control plane of the running suite (set by `.realControlPlane`).
    @TaskLocal static var current: RealControlPlane?

    private init(
        state: String, profile: Profile, url: String, certificateAuthority: String, admin: KubeClient,
        operatorToken: String,
        loop: LoopThread, service: ScriptedService, heartbeat: Task<Void, Never>
    ) {
        self.state = state
        self.profile = profile
        self.url = url
        self.certificateAuthority = certificateAuthority
        self.admin = admin
        self.operatorToken = operatorToken
        self.loop = loop
        self.service = service
        self.heartbeat = heartbeat
    }

    /// `environment` goes to start.sh (its options, e.g. OMJOB_CP_NODE_MONITOR_GRACE_PERIOD).
    static func start(_ profile: Profile = .project, environment: [String: String] = [:]) async throws
        -> RealControlPlane
    {
        let scripts = Paths.root.appendingPathComponent("scripts/control-plane").path
        let state = try Paths.temporaryDirectory()
        guard
            try await HelperProgram.run(["bash", "-c", ". \(scripts)/lib.sh && cp_binaries_present"], in: state).status
                == 0
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
        let service = try await ScriptedService.start(
            scripts: scripts, arguments: [state], state: state, environment: options)
        do {
            return try await install(profile, service: service)
        } catch {
            await service.stop()
            throw error
        }
    }

    private static func install(_ profile: Profile, service: ScriptedService) async throws -> RealControlPlane {
        let state = service.state
        let (url, token, ca, kubeconfig) = try service.controlPlaneAccess()
        let kubectl = try ScriptedService.kubectl(repositoryRoot: Paths.root)
        let env = ["KUBECONFIG": kubeconfig]
        for arguments in profile.installation {
            try await HelperProgram.check(
                [kubectl, "apply"] + arguments, environment: env, in: state, workingDirectory: Paths.root.path)
        }
        try await HelperProgram.check(
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
                loop: loop, service: service, heartbeat: heartbeat)
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
        await service.stop()
        try? FileManager.default.removeItem(atPath: state)
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
