import KubeJSON

/// Object-metadata accessors over stored objects (kubesim keeps objects as plain JSON).
extension JSONValue {
    /// Sets (or with nil removes) the value at a path of object keys, creating objects on the way.
    public mutating func set(_ path: [String], _ value: JSONValue?) {
        guard let first = path.first else {
            if let value { self = value }
            return
        }
        guard case .object(var members) = self else {
            if value == nil { return }
            self = .object([:])
            set(path, value)
            return
        }
        if path.count == 1 {
            members[first] = value
        } else {
            var child = members[first] ?? .object([:])
            child.set(Array(path.dropFirst()), value)
            members[first] = child
        }
        self = .object(members)
    }

    var metadata: JSONValue { self["metadata"] ?? .object([:]) }

    /// Drops `labels: {}` and `annotations: {}`: ObjectMeta's maps are omitempty in the real server.
    mutating func dropEmptyMetadataMaps() {
        for field in ["labels", "annotations"] where self[path: ["metadata", field]]?.objectValue?.isEmpty == true {
            set(["metadata", field], nil)
        }
    }
    var name: String { self[path: ["metadata", "name"]]?.stringValue ?? "" }
    var namespace: String { self[path: ["metadata", "namespace"]]?.stringValue ?? "" }
    var uid: String { self[path: ["metadata", "uid"]]?.stringValue ?? "" }
    var resourceVersionString: String { self[path: ["metadata", "resourceVersion"]]?.stringValue ?? "" }
    var deletionTimestamp: String? { self[path: ["metadata", "deletionTimestamp"]]?.stringValue }
    var isDeleting: Bool { deletionTimestamp != nil }
    var deletionGracePeriod: Int64? { self[path: ["metadata", "deletionGracePeriodSeconds"]]?.intValue }
    var generation: Int64 { self[path: ["metadata", "generation"]]?.intValue ?? 0 }

    var labels: [String: String] {
        (self[path: ["metadata", "labels"]]?.objectValue ?? [:]).compactMapValues(\.stringValue)
    }

    var finalizers: [String] {
        get { self[path: ["metadata", "finalizers"]]?.arrayValue?.compactMap(\.stringValue) ?? [] }
        set { set(["metadata", "finalizers"], newValue.isEmpty ? nil : .array(newValue.map(JSONValue.string))) }
    }

    /// `metadata.ownerReferences[].uid` with the reference's blockOwnerDeletion flag.
    var ownerReferences: [JSONValue] {
        get { self[path: ["metadata", "ownerReferences"]]?.arrayValue ?? [] }
        set { set(["metadata", "ownerReferences"], newValue.isEmpty ? nil : .array(newValue)) }
    }

    var ownerUIDs: [String] { ownerReferences.compactMap { $0["uid"]?.stringValue } }

    /// The value of a dotted field path (`status.phase`), as field selectors read it ("" when absent).
    func fieldString(_ dotted: String) -> String {
        let value = self[path: dotted.split(separator: ".").map(String.init)]
        switch value {
        case .string(let s)?: return s
        case .int(let i)?: return String(i)
        case .bool(let b)?: return String(b)
        default: return ""
        }
    }

    /// The object with status and metadata removed: what "spec changed" compares.
    func withoutMetadata(removingStatus: Bool) -> JSONValue {
        guard case .object(var members) = self else { return self }
        members["metadata"] = nil
        if removingStatus { members["status"] = nil }
        return .object(members)
    }
}
