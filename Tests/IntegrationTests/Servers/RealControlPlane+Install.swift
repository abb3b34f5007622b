import Foundation
import KubeJSON
import Shared

/// The one node main pods are bound to on the real server. It must exist (kube-controller-
/// manager's pod GC force-deletes pods bound to a missing node) and stay Ready (its node
/// lifecycle controller marks a node without heartbeats Unknown after 40 s, taints it, and the
/// operator would then record NodeLost): so the suite heartbeats it, as a kubelet does.
enum NodeHeartbeat {
    static let nodes = ResourceType(group: "", version: "v1", kind: "Node", plural: "nodes", namespaced: false)
    static let interval: Duration = .seconds(5)

    static func createReadyNode(_ name: String, admin: KubeClient) async throws {
        let node: JSONValue = ["apiVersion": "v1", "kind": "Node", "metadata": ["name": .string(name)]]
        _ = try await admin.create(node, resource: nodes, namespace: nil, name: name)
        try await beat(name, admin: admin)
    }

    static func keepReady(_ name: String, admin: KubeClient) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            try? await beat(name, admin: admin)
        }
    }

    private static func beat(_ name: String, admin: KubeClient) async throws {
        let now = ScenarioClock.timestamp()
        let status: JSONValue = [
            "status": [
                "conditions": [
                    [
                        "type": "Ready", "status": "True", "reason": "KubeletReady",
                        "message": "kubelet is posting ready status",
                        "lastHeartbeatTime": .string(now), "lastTransitionTime": .string(now),
                    ]
                ]
            ]
        ]
        _ = try await admin.patch(
            JSONValue.self, resource: nodes, namespace: nil, name: name, patch: status, subresource: "status")
    }
}

/// The ServiceAccount's token as v1.20 hands it out: kube-controller-manager's token
/// controller writes a `kubernetes.io/service-account-token` Secret and lists it in the
/// account's `secrets` (v1.20 has no `kubectl create token`).
enum ServiceAccountToken {
    static func read(namespace: String, account: String, admin: KubeClient) async throws -> String {
        let accounts = ResourceType(group: "", version: "v1", kind: "ServiceAccount", plural: "serviceaccounts")
        let secrets = ResourceType(group: "", version: "v1", kind: "Secret", plural: "secrets")
        return try await until("the token Secret of \(namespace)/\(account)", timeout: 60) {
            let object = try await admin.get(JSONValue.self, resource: accounts, namespace: namespace, name: account)
            guard let secret = object["secrets"]?.arrayValue?.first?["name"]?.stringValue else { return nil }
            let data = try await admin.get(JSONValue.self, resource: secrets, namespace: namespace, name: secret)[
                "data"]?["token"]?.stringValue
            return data.flatMap { Data(base64Encoded: $0) }.map { String(decoding: $0, as: UTF8.self) }
        }
    }
}
