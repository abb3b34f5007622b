/// metav1.Condition: one observation about an object, as `kubectl wait --for=condition=…` reads it.
public struct Condition: Codable, Hashable, Sendable {
    /// CamelCase type, unique within a list.
    public var type: String
    /// `True`, `False` or `Unknown`.
    public var status: String
    public var observedGeneration: Int64?
    /// When `status` last changed (RFC 3339).
    public var lastTransitionTime: String
    /// CamelCase machine-readable reason.
    public var reason: String
    public var message: String

    public init(
        type: String, status: String, observedGeneration: Int64? = nil, lastTransitionTime: String, reason: String,
        message: String
    ) {
        self.type = type
        self.status = status
        self.observedGeneration = observedGeneration
        self.lastTransitionTime = lastTransitionTime
        self.reason = reason
        self.message = message
    }
}

extension Array where Element == Condition {
    /// The condition of `type`, if present.
    public subscript(type type: String) -> Condition? { first { $0.type == type } }

    /// Sets a condition, keeping `lastTransitionTime` when the status did not change
    /// (the meta.SetStatusCondition rule).
    public mutating func set(_ condition: Condition) {
        guard let index = firstIndex(where: { $0.type == condition.type }) else {
            append(condition)
            return
        }
        var updated = condition
        if self[index].status == condition.status { updated.lastTransitionTime = self[index].lastTransitionTime }
        self[index] = updated
    }
}

/// core/v1 ObjectReference: what an Event is about, and a CronOMJob's running OMJobs.
public struct ObjectReference: Codable, Hashable, Sendable {
    public var apiVersion: String?
    public var kind: String?
    public var namespace: String?
    public var name: String?
    public var uid: String?
    public var resourceVersion: String?
    public var fieldPath: String?

    public init(
        apiVersion: String? = nil, kind: String? = nil, namespace: String? = nil, name: String? = nil,
        uid: String? = nil, resourceVersion: String? = nil, fieldPath: String? = nil
    ) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.namespace = namespace
        self.name = name
        self.uid = uid
        self.resourceVersion = resourceVersion
        self.fieldPath = fieldPath
    }
}

/// core/v1 LocalObjectReference (image pull secrets).
public struct LocalObjectReference: Codable, Hashable, Sendable {
    public var name: String?

    public init(name: String?) { self.name = name }
}
