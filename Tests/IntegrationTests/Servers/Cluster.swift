import Foundation
import KubeJSON

/// The API server an ending scenario runs against, seen through the hands of the parties the
/// operator shares it with: OpenMetadata (creates and deletes OMJobs), the kubelet (writes pod
/// status through `pods/status`, as nothing runs pods on either server) and a user (deletes
/// pods). Two backends: `SimulatedCluster` (kubesim in-process) and `RealCluster`
/// (kube-apiserver v1.20.2 from scripts/control-plane).
protocol Cluster: Sendable {
    /// Which server this is, for failure messages.
    var serverName: String { get }
    /// The namespace the scenario's objects live in (the operator watches only this one).
    var namespace: String { get }
    /// The node main pods are bound to (it exists and stays Ready for the whole scenario).
    var nodeName: String { get }
    /// A kubeconfig file the operator authenticates with, written under `directory`.
    func operatorKubeconfig(in directory: String) throws -> String
    /// Settings the operator needs on this server (on top of the scenario's own).
    var operatorSettings: [String: String] { get }

    func create(_ resource: ClusterResource, _ object: JSONValue) async throws -> JSONValue
    /// The object, or nil when it does not exist.
    func get(_ resource: ClusterResource, _ name: String) async throws -> JSONValue?
    func list(_ resource: ClusterResource, labelSelector: String) async throws -> [JSONValue]
    /// A JSON merge patch of the `status` subresource (the kubelet's write).
    func patchStatus(_ resource: ClusterResource, _ name: String, _ status: JSONValue) async throws
    /// DELETE; `gracePeriodSeconds` 0 is a force deletion.
    func delete(_ resource: ClusterResource, _ name: String, gracePeriodSeconds: Int?) async throws
    /// Binds a pod to `nodeName`, as the scheduler does.
    func bind(pod: String) async throws
    /// Removes what the scenario created on the server.
    func tearDown() async
}

/// The resources scenarios touch, named the same way on both servers.
enum ClusterResource: Sendable {
    case pods
    case omjobs
    case events

    var group: String { self == .omjobs ? "pipelines.openmetadata.org" : "" }
    var version: String { "v1" }
    var plural: String {
        switch self {
        case .pods: "pods"
        case .omjobs: "omjobs"
        case .events: "events"
        }
    }

    var kind: String {
        switch self {
        case .pods: "Pod"
        case .omjobs: "OMJob"
        case .events: "Event"
        }
    }
}

/// The kubeconfig the operator reads (KUBECONFIG), for either server.
enum OperatorKubeconfig {
    static func text(server: String, certificateAuthority: String?, token: String, namespace: String) -> String {
        let authority = certificateAuthority.map { ", certificate-authority: \"\($0)\"" } ?? ""
        return """
            apiVersion: v1
            kind: Config
            clusters:
            - name: cluster
              cluster: {server: "\(server)"\(authority)}
            users:
            - name: operator
              user: {token: "\(token)"}
            contexts:
            - name: operator
              context: {cluster: cluster, user: operator, namespace: \(namespace)}
            current-context: operator
            """
    }
}
