/// core/v1 Node: only what tells whether the node still runs its pods.
public struct Node: KubernetesObject, Hashable {
    /// Where nodes live in the API (cluster-scoped).
    public static let resourceType = ResourceType(
        group: "", version: "v1", kind: "Node", plural: "nodes", namespaced: false)

    public var apiVersion: String?
    public var kind: String?
    public var metadata: ObjectMeta
    public var spec: NodeSpec?
    public var status: NodeStatus?

    public init(metadata: ObjectMeta, spec: NodeSpec? = nil, status: NodeStatus? = nil) {
        self.apiVersion = "v1"
        self.kind = "Node"
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }
}

/// core/v1 NodeSpec (taints and cordon).
public struct NodeSpec: Codable, Hashable, Sendable {
    public var taints: [Taint]?
    public var unschedulable: Bool?

    public init(taints: [Taint]? = nil, unschedulable: Bool? = nil) {
        self.taints = taints
        self.unschedulable = unschedulable
    }
}

/// core/v1 Taint (`node.kubernetes.io/unreachable:NoExecute`, …).
public struct Taint: Codable, Hashable, Sendable {
    public var key: String
    public var value: String?
    public var effect: String
    public var timeAdded: String?

    public init(key: String, value: String? = nil, effect: String, timeAdded: String? = nil) {
        self.key = key
        self.value = value
        self.effect = effect
        self.timeAdded = timeAdded
    }
}

/// core/v1 NodeStatus (conditions only).
public struct NodeStatus: Codable, Hashable, Sendable {
    public var conditions: [NodeCondition]?

    public init(conditions: [NodeCondition]? = nil) { self.conditions = conditions }
}

/// core/v1 NodeCondition (Ready, MemoryPressure, …).
public struct NodeCondition: Codable, Hashable, Sendable {
    public var type: String
    /// True, False or Unknown (Unknown: the node controller lost contact with the kubelet).
    public var status: String
    public var reason: String?
    public var message: String?
    public var lastHeartbeatTime: String?
    public var lastTransitionTime: String?

    public init(
        type: String, status: String, reason: String? = nil, message: String? = nil, lastHeartbeatTime: String? = nil,
        lastTransitionTime: String? = nil
    ) {
        self.type = type
        self.status = status
        self.reason = reason
        self.message = message
        self.lastHeartbeatTime = lastHeartbeatTime
        self.lastTransitionTime = lastTransitionTime
    }
}

extension Node {
    /// The Ready condition, when the node reports one.
    public var readyCondition: NodeCondition? { status?.conditions?.first { $0.type == "Ready" } }

    private enum CodingKeys: String, CodingKey { case apiVersion, kind, metadata, spec, status }

    /// The projection `init(reading:)` reads: labels and annotations are not kept.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        var metadata = try container.decode(ObjectMeta.self, forKey: .metadata)
        metadata.labels = nil
        metadata.annotations = nil
        self.init(
            metadata: metadata, spec: try container.decodeIfPresent(NodeSpec.self, forKey: .spec),
            status: try container.decodeIfPresent(NodeStatus.self, forKey: .status))
        apiVersion = try container.decodeIfPresent(String.self, forKey: .apiVersion)
        kind = try container.decodeIfPresent(String.self, forKey: .kind)
    }
}
