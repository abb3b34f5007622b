import Foundation
import KubeJSON
import Testing

@testable import Models

/// `Node` keeps what tells whether a node still runs its pods, whichever way it is read.
@Suite struct NodeReadingTests {
    /// A node as kube-apiserver v1.20 returns it: labels and annotations the kubelet and the
    /// cloud set, managedFields, a taint, capacity, addresses, an image list, conditions.
    static let apiNode = Data(
        """
        {"apiVersion": "v1", "kind": "Node",
         "metadata": {"name": "worker-7", "uid": "node-uid", "resourceVersion": "90210",
           "creationTimestamp": "2026-11-01T08:00:00Z",
           "labels": {"kubernetes.io/hostname": "worker-7", "kubernetes.io/os": "linux", "node.kubernetes.io/instance-type": "m5.large"},
           "annotations": {"node.alpha.kubernetes.io/ttl": "0", "volumes.kubernetes.io/controller-managed-attach-detach": "true"},
           "managedFields": [{"manager": "kubelet", "operation": "Update", "fieldsV1": {"f:status": {"f:conditions": {}}}}]},
         "spec": {"podCIDR": "10.244.7.0/24", "providerID": "aws:///eu-west-1a/i-0",
           "taints": [{"key": "node.kubernetes.io/unreachable", "effect": "NoExecute", "timeAdded": "2026-11-25T10:00:00Z"},
                      {"key": "dedicated", "value": "ingestion", "effect": "NoSchedule"}],
           "unschedulable": true},
         "status": {"capacity": {"cpu": "2", "memory": "8Gi", "pods": "110"},
           "conditions": [
             {"type": "MemoryPressure", "status": "False", "reason": "KubeletHasSufficientMemory",
              "lastHeartbeatTime": "2026-11-25T09:59:00Z", "lastTransitionTime": "2026-11-01T08:00:00Z"},
             {"type": "Ready", "status": "Unknown", "reason": "NodeStatusUnknown", "message": "Kubelet stopped posting node status.",
              "lastHeartbeatTime": "2026-11-25T09:59:00Z", "lastTransitionTime": "2026-11-25T10:00:00Z"}],
           "addresses": [{"type": "InternalIP", "address": "10.0.7.1"}, {"type": "Hostname", "address": "worker-7"}],
           "nodeInfo": {"kubeletVersion": "v1.20.2", "containerRuntimeVersion": "containerd://1.6.20"},
           "images": [{"names": ["docker.getcollate.io/openmetadata/ingestion@sha256:1", "docker.getcollate.io/openmetadata/ingestion:1.5"], "sizeBytes": 1700000000},
                      {"names": ["k8s.gcr.io/pause:3.2"], "sizeBytes": 683317}]}}
        """.utf8)

    @Test func readingFromTheBytesKeepsWhatDecodingKeeps() throws {
        let read = try Node(jsonBytes: Self.apiNode)
        #expect(read == (try JSONDecoder().decode(Node.self, from: Self.apiNode)))
        #expect(read.metadata.name == "worker-7" && read.metadata.resourceVersion == "90210")
        #expect(read.metadata.labels == nil && read.metadata.annotations == nil, "no rule reads a node's labels")
        #expect(read.spec?.taints?.map(\.key) == ["node.kubernetes.io/unreachable", "dedicated"])
        #expect(read.spec?.taints?.last?.value == "ingestion" && read.spec?.unschedulable == true)
        #expect(read.readyCondition?.status == "Unknown")
        #expect(read.readyCondition?.lastTransitionTime == "2026-11-25T10:00:00Z")
        #expect(read.status?.conditions?.count == 2)
        #expect(read.apiVersion == "v1" && read.kind == "Node")
    }

    @Test func aListItemWithoutTypeMetaOrStatusIsReadAsDecoded() throws {
        let bare = Data(#"{"metadata": {"name": "worker-8"}, "spec": null}"#.utf8)
        let read = try Node(jsonBytes: bare)
        #expect(read == (try JSONDecoder().decode(Node.self, from: bare)))
        #expect(read.apiVersion == nil && read.spec == nil && read.status == nil && read.readyCondition == nil)
    }

    @Test func whatDecodingRefusesReadingRefuses() {
        for text in [
            #"{"spec": {}}"#,  // no metadata
            #"{"metadata": {}, "spec": {"taints": [{"effect": "NoSchedule"}]}}"#,  // a taint without key
            #"{"metadata": {}, "status": {"conditions": [{"type": "Ready"}]}}"#,  // a condition without status
            #"{"metadata": {}, "spec": {"unschedulable": "yes"}}"#,
        ] {
            #expect(throws: JSONReadError.self, "\(text)") { try Node(jsonBytes: Array(text.utf8)) }
            #expect(throws: (any Error).self, "\(text)") { try JSONDecoder().decode(Node.self, from: Data(text.utf8)) }
        }
    }
}
