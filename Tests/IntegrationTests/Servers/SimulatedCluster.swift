import Foundation
import KubeJSON
import KubeSim

/// kubesim in-process on port 0 with the repository's CRDs: the scenario's writes go straight
/// to its store (as `OperatorUnderTest` does), the operator reaches it over HTTP with a token.
final class SimulatedCluster: Cluster {
    static let token = "integration-token"

    let sim: KubeSimServer
    let serverName = "kubesim"
    let namespace = "pipelines"
    let nodeName = "node-1"
    let operatorSettings: [String: String] = ["WATCH_NAMESPACES": "ALL"]

    private init(sim: KubeSimServer) { self.sim = sim }

    static func start() async throws -> SimulatedCluster {
        let sim = try await KubeSimServer.start(.init(token: token, crdDirectory: Paths.crds, threads: 1))
        let cluster = SimulatedCluster(sim: sim)
        do {
            _ = try sim.store.create(
                .namespaces, namespace: nil,
                object: [
                    "apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(cluster.namespace)],
                ])
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
