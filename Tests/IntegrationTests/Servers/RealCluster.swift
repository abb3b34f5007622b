import Foundation
import KubeJSON
import Shared

/// One scenario's share of the suite's real control plane: a namespace of its own (the
/// operator watches only that one, so scenarios running at once never see each other), the
/// admin's client for the scenario's writes, and the operator's ServiceAccount for the operator.
final class RealCluster: Cluster {
    let plane: RealControlPlane
    let namespace: String
    var serverName: String { "kube-apiserver v1.20.2 (\(plane.profile.testDescription))" }
    var nodeName: String { RealControlPlane.nodeName }
    var operatorSettings: [String: String] {
        plane.profile.operatorSettings.merging([
            "WATCH_NAMESPACES": namespace, "OPERATOR_NAMESPACE": RealControlPlane.operatorNamespace,
        ]) { _, new in new }
    }

    private static let namespaces = ResourceType(
        group: "", version: "v1", kind: "Namespace", plural: "namespaces", namespaced: false)

    private init(plane: RealControlPlane, namespace: String) {
        self.plane = plane
        self.namespace = namespace
    }

    static func start(on plane: RealControlPlane) async throws -> RealCluster {
        let namespace = "it-" + UUID().uuidString.prefix(8).lowercased()
        let object: JSONValue = ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(namespace)]]
        _ = try await plane.admin.create(object, resource: namespaces, namespace: nil, name: namespace)
        return RealCluster(plane: plane, namespace: namespace)
    }

    func operatorKubeconfig(in directory: String) throws -> String {
        let path = directory + "/kubeconfig"
        try OperatorKubeconfig.text(
            server: plane.url, certificateAuthority: plane.certificateAuthority,
            token: plane.operatorToken, namespace: namespace
        )
        .write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func resourceType(_ resource: ClusterResource) -> ResourceType {
        ResourceType(group: resource.group, version: resource.version, kind: resource.kind, plural: resource.plural)
    }

    func create(_ resource: ClusterResource, _ object: JSONValue) async throws -> JSONValue {
        try await plane.admin.create(
            object, resource: Self.resourceType(resource), namespace: namespace,
            name: object["metadata"]?["name"]?.stringValue)
    }

    func get(_ resource: ClusterResource, _ name: String) async throws -> JSONValue? {
        do {
            return try await plane.admin.get(
                JSONValue.self, resource: Self.resourceType(resource), namespace: namespace, name: name)
        } catch  where error.isNotFound {
            return nil
        }
    }

    func list(_ resource: ClusterResource, labelSelector: String) async throws -> [JSONValue] {
        try await plane.admin.list(
            JSONValue.self, resource: Self.resourceType(resource), namespace: namespace,
            options: ListOptions(labelSelector: labelSelector)
        ).items
    }

    func patchStatus(_ resource: ClusterResource, _ name: String, _ status: JSONValue) async throws {
        _ = try await plane.admin.patch(
            JSONValue.self, resource: Self.resourceType(resource), namespace: namespace, name: name,
            patch: ["status": status], subresource: "status")
    }

    func delete(_ resource: ClusterResource, _ name: String, gracePeriodSeconds: Int?) async throws {
        _ = try await plane.admin.delete(
            resource: Self.resourceType(resource), namespace: namespace, name: name,
            options: DeleteOptions(gracePeriodSeconds: gracePeriodSeconds.map(Int64.init)))
    }

    /// POST pods/NAME/binding. The client creates only in collections, and the binding
    /// subresource is one: a "collection" whose path holds the pod's name.
    func bind(pod: String) async throws {
        let binding = ResourceType(group: "", version: "v1", kind: "Binding", plural: "pods/\(pod)/binding")
        let object: JSONValue = [
            "apiVersion": "v1", "kind": "Binding", "metadata": ["name": .string(pod)],
            "target": ["apiVersion": "v1", "kind": "Node", "name": .string(nodeName)],
        ]
        _ = try await plane.admin.create(object, resource: binding, namespace: namespace, name: nil)
    }

    /// Deletes the namespace without waiting: the control plane goes away with the suite.
    func tearDown() async {
        _ = try? await plane.admin.delete(resource: Self.namespaces, namespace: nil, name: namespace)
    }
}
