import Foundation
import KubeJSON
import KubeSim
import Runtime

/// kubesim in-process on port 0 with the repository's CRDs (or others): the test's writes go
/// straight to its store, the operator reaches it over HTTP with a token. With a clock, kubesim
/// reads the time the test moves (as the operator does, through the same file).
final class SimulatedCluster: Cluster {
    static let token = "integration-token"
    static let defaultNamespace = "pipelines"

    let sim: KubeSimServer
    let serverName = "kubesim"
    let namespace: String
    let nodeName = "node-1"
    let operatorSettings: [String: String] = ["WATCH_NAMESPACES": "ALL"]

    private init(sim: KubeSimServer, namespace: String) {
        self.sim = sim
        self.namespace = namespace
    }

    static func start(
        crdDirectory: String = Paths.crds, namespace: String = defaultNamespace, clock: OperatorClock? = nil
    ) async throws -> SimulatedCluster {
        var configuration = KubeSimServer.Configuration(token: token, crdDirectory: crdDirectory, threads: 1)
        if let clock { configuration.cluster.clock = .external { clock.now() } }
        let sim = try await KubeSimServer.start(configuration)
        let cluster = SimulatedCluster(sim: sim, namespace: namespace)
        do {
            // kubesim starts with `default`, as a real cluster does; any other is created.
            if namespace != "default" {
                _ = try sim.store.create(
                    .namespaces, namespace: nil,
                    object: ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(namespace)]])
            }
        } catch {
            try? await sim.shutdown()
            throw error
        }
        return cluster
    }

    func operatorKubeconfig(in directory: String) throws -> String {
        let path = directory + "/kubeconfig"
        try OperatorKubeconfig.text(
            server: "\(sim.baseURL)", certificateAuthority: nil, token: Self.token, namespace: namespace
        )
        .write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    private func groupResource(_ resource: ClusterResource) -> GroupResource {
        switch resource {
        case .pods: .pods
        case .events: .events
        case .omjobs: GroupResource(group: resource.group, resource: resource.plural)
        }
    }

    func create(_ resource: ClusterResource, _ object: JSONValue) async throws -> JSONValue {
        try sim.store.create(groupResource(resource), namespace: namespace, object: object)
    }

    func get(_ resource: ClusterResource, _ name: String) async throws -> JSONValue? {
        do {
            return try sim.store.get(groupResource(resource), namespace: namespace, name: name)
        } catch let error as KubeAPIError where error.code == 404 {
            return nil
        }
    }

    func list(_ resource: ClusterResource, labelSelector: String) async throws -> [JSONValue] {
        try sim.store.list(groupResource(resource), namespace: namespace, options: .init(labelSelector: labelSelector))
            .items
    }

    func patchStatus(_ resource: ClusterResource, _ name: String, _ status: JSONValue) async throws {
        _ = try sim.store.patch(
            groupResource(resource), namespace: namespace, name: name, type: .merge,
            patch: ["status": status], subresource: .status)
    }

    func delete(_ resource: ClusterResource, _ name: String, gracePeriodSeconds: Int?) async throws {
        _ = try sim.store.delete(
            groupResource(resource), namespace: namespace, name: name,
            options: .init(gracePeriodSeconds: gracePeriodSeconds.map(Int64.init)))
    }

    func bind(pod: String) async throws {
        try sim.store.bind(namespace: namespace, pod: pod, node: nodeName)
    }

    func tearDown() async {
        try? await sim.shutdown()
    }
}
