import Foundation
import HTTPTransport
import KubeAPI
import KubeJSON
import TestSupport
import UVLoop

/// The project's real control plane (etcd, kube-apiserver and kube-controller-manager v1.20.2,
/// `scripts/control-plane`) for one benchmark: started on free loopback ports with the
/// repository's CRDs applied, reached over HTTPS with the admin's token. Nothing schedules or
/// runs pods on it: ``KubeletStandIn`` writes their status.
public final class ControlPlaneServer: Sendable {
    /// The admin's kubeconfig, which the operator tree uses too: the benchmark measures speed, not RBAC.
    public let kubeconfig: String
    public let configuration: ClusterConfiguration
    private let service: ScriptedService

    private init(kubeconfig: String, configuration: ClusterConfiguration, service: ScriptedService) {
        self.kubeconfig = kubeconfig
        self.configuration = configuration
        self.service = service
    }

    /// Starts it (seconds: start.sh returns once the controller manager has collected a probe
    /// object) and applies deploy/crds with kubectl. Fails with the script's words when the
    /// control plane is not built (`scripts/control-plane/build.sh`) or does not start.
    public static func start() async throws -> ControlPlaneServer {
        let state = try RepositoryPaths.temporaryDirectory(prefix: "omjob-bench-cp")
        let scripts = RepositoryPaths.root.appendingPathComponent("scripts/control-plane").path
        // Owner-reference enforcement off: the admin may set anything, as the tree here runs as the admin.
        let service = try await ScriptedService.start(
            scripts: scripts, arguments: [state], state: state,
            environment: ["OMJOB_CP_OWNER_REFERENCES_ENFORCEMENT": "0"])
        do {
            let (url, token, ca, kubeconfig) = try service.controlPlaneAccess()
            let kubectl = try ScriptedService.kubectl(repositoryRoot: RepositoryPaths.root)
            let environment = ["KUBECONFIG": kubeconfig]
            try await HelperProgram.check(
                [kubectl, "apply", "-f", RepositoryPaths.crds], environment: environment, in: state)
            try await HelperProgram.check(
                [
                    kubectl, "wait", "--for", "condition=established", "--timeout", "60s",
                    "crd/omjobs.pipelines.openmetadata.org", "crd/cronomjobs.pipelines.openmetadata.org",
                ], environment: environment, in: state)
            let configuration = ClusterConfiguration(
                server: url, tls: TLSOptions(certificateAuthority: .file(ca)), credentials: .token(token))
            return ControlPlaneServer(kubeconfig: kubeconfig, configuration: configuration, service: service)
        } catch {
            await service.stop()
            try? FileManager.default.removeItem(atPath: state)
            throw error
        }
    }

    /// Stops every process of the control plane by its pid (stop.sh) and removes its state.
    public func stop() async {
        await service.stop()
        try? FileManager.default.removeItem(atPath: service.state)
    }

    /// A client of the admin's on its own event loop (each party of the benchmark has one, so
    /// that none waits behind another's decoding).
    public func client() throws -> (KubeClient, LoopThread) {
        let loop = try LoopThread(name: "bench-client")
        return (KubeClient(configuration: configuration, executor: loop.executor), loop)
    }
}
