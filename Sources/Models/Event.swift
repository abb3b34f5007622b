/// core/v1 Event: what `kubectl describe omjob` shows under Events.
public struct Event: KubernetesObject, Hashable {
    /// Where events live in the API.
    public static let resourceType = ResourceType(group: "", version: "v1", kind: "Event", plural: "events")

    public var apiVersion: String?
    public var kind: String?
    public var metadata: ObjectMeta
    public var involvedObject: ObjectReference
    /// CamelCase reason (stable: dashboards and alerts match on it).
    public var reason: String?
    public var message: String?
    /// `Normal` or `Warning`.
    public var type: String?
    public var source: EventSource?
    public var firstTimestamp: String?
    public var lastTimestamp: String?
    public var count: Int?
    public var reportingComponent: String?
    public var reportingInstance: String?
    public var action: String?

    public init(metadata: ObjectMeta, involvedObject: ObjectReference, reason: String, message: String, type: String) {
        self.apiVersion = "v1"
        self.kind = "Event"
        self.metadata = metadata
        self.involvedObject = involvedObject
        self.reason = reason
        self.message = message
        self.type = type
    }
}

/// core/v1 EventSource.
public struct EventSource: Codable, Hashable, Sendable {
    public var component: String?
    public var host: String?

    public init(component: String?, host: String? = nil) {
        self.component = component
        self.host = host
    }
}
