public import KubeJSON

/// Nodes are read straight from the bytes, for what tells whether a node still runs its pods:
/// its name and versions, taints and cordon, and its conditions. Everything else is stepped
/// over unread: the status's image list (often most of a node's bytes), addresses, capacity,
/// and the node's labels and annotations, which no rule reads (a cluster of thousands of nodes
/// keeps none of them). `init(from:)` keeps the same projection.
extension Node: JSONReadable {
    public init(reading reader: inout JSONReader) throws(JSONReadError) {
        var apiVersion: String?
        var kind: String?
        var metadata: ObjectMeta?
        var spec: NodeSpec?
        var status: NodeStatus?
        try reader.readObject { reader, key throws(JSONReadError) in
            if key == "apiVersion" {
                apiVersion = try reader.readStringOrNull()
            } else if key == "kind" {
                kind = try reader.readStringOrNull()
            } else if key == "metadata" {
                metadata = try ObjectMeta(reading: &reader, keepingLabels: nil, annotations: false)
            } else if key == "spec" {
                spec = try reader.readObjectOrNull { reader throws(JSONReadError) in try NodeSpec(reading: &reader) }
            } else if key == "status" {
                status = try reader.readObjectOrNull { reader throws(JSONReadError) in
                    try NodeStatus(reading: &reader)
                }
            } else {
                try reader.skipValue()
            }
        }
        guard let metadata else { throw reader.error("node without metadata") }
        self.init(metadata: metadata, spec: spec, status: status)
        self.apiVersion = apiVersion
        self.kind = kind
    }
}

extension NodeSpec {
    init(reading reader: inout JSONReader) throws(JSONReadError) {
        var taints: [Taint]?
        var unschedulable: Bool?
        try reader.readObject { reader, key throws(JSONReadError) in
            if key == "taints" {
                taints = try reader.readArrayOrNull { reader throws(JSONReadError) in try Taint(reading: &reader) }
            } else if key == "unschedulable" {
                unschedulable = try reader.readBoolOrNull()
            } else {
                try reader.skipValue()
            }
        }
        self.init(taints: taints, unschedulable: unschedulable)
    }
}

extension Taint {
    init(reading reader: inout JSONReader) throws(JSONReadError) {
        var key: String?
        var value: String?
        var effect: String?
        var timeAdded: String?
        try reader.readObject { reader, member throws(JSONReadError) in
            if member == "key" {
                key = try reader.readString()
            } else if member == "value" {
                value = try reader.readStringOrNull()
            } else if member == "effect" {
                effect = try reader.readString()
            } else if member == "timeAdded" {
                timeAdded = try reader.readStringOrNull()
            } else {
                try reader.skipValue()
            }
        }
        guard let key, let effect else { throw reader.error("taint without key or effect") }
        self.init(key: key, value: value, effect: effect, timeAdded: timeAdded)
    }
}

extension NodeStatus {
    init(reading reader: inout JSONReader) throws(JSONReadError) {
        var conditions: [NodeCondition]?
        try reader.readObject { reader, key throws(JSONReadError) in
            if key == "conditions" {
                conditions = try reader.readArrayOrNull { reader throws(JSONReadError) in
                    try NodeCondition(reading: &reader)
                }
            } else {
                try reader.skipValue()
            }
        }
        self.init(conditions: conditions)
    }
}

extension NodeCondition {
    init(reading reader: inout JSONReader) throws(JSONReadError) {
        var type: String?
        var status: String?
        var reason: String?
        var message: String?
        var lastHeartbeatTime: String?
        var lastTransitionTime: String?
        try reader.readObject { reader, key throws(JSONReadError) in
            if key == "type" {
                type = try reader.readString()
            } else if key == "status" {
                status = try reader.readString()
            } else if key == "reason" {
                reason = try reader.readStringOrNull()
            } else if key == "message" {
                message = try reader.readStringOrNull()
            } else if key == "lastHeartbeatTime" {
                lastHeartbeatTime = try reader.readStringOrNull()
            } else if key == "lastTransitionTime" {
                lastTransitionTime = try reader.readStringOrNull()
            } else {
                try reader.skipValue()
            }
        }
        guard let type, let status else { throw reader.error("node condition without type or status") }
        self.init(
            type: type, status: status, reason: reason, message: message, lastHeartbeatTime: lastHeartbeatTime,
            lastTransitionTime: lastTransitionTime)
    }
}
