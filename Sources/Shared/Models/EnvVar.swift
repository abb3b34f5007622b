public import KubeJSON

/// core/v1 EnvVar: one variable of a container's environment.
public struct EnvVar: Codable, Hashable, Sendable {
    public var name: String
    public var value: String?
    public var valueFrom: EnvVarSource?

    public init(name: String, value: String? = nil, valueFrom: EnvVarSource? = nil) {
        self.name = name
        self.value = value
        self.valueFrom = valueFrom
    }
}

/// core/v1 EnvVarSource: where a variable's value comes from when it is not literal.
public struct EnvVarSource: Codable, Hashable, Sendable {
    public var configMapKeyRef: KeySelector?
    public var secretKeyRef: KeySelector?
    public var fieldRef: ObjectFieldSelector?
    public var resourceFieldRef: ResourceFieldSelector?

    public init(
        configMapKeyRef: KeySelector? = nil, secretKeyRef: KeySelector? = nil, fieldRef: ObjectFieldSelector? = nil,
        resourceFieldRef: ResourceFieldSelector? = nil
    ) {
        self.configMapKeyRef = configMapKeyRef
        self.secretKeyRef = secretKeyRef
        self.fieldRef = fieldRef
        self.resourceFieldRef = resourceFieldRef
    }

    /// True when no source is set: OpenMetadata's server sends `valueFrom: {}` for some variables,
    /// which the API server would reject on a pod.
    public var isEmpty: Bool {
        configMapKeyRef == nil && secretKeyRef == nil && fieldRef == nil && resourceFieldRef == nil
    }
}

/// core/v1 ConfigMapKeySelector / SecretKeySelector (same shape).
public struct KeySelector: Codable, Hashable, Sendable {
    public var name: String?
    public var key: String
    public var optional: Bool?

    public init(name: String?, key: String, optional: Bool? = nil) {
        self.name = name
        self.key = key
        self.optional = optional
    }
}

/// core/v1 ObjectFieldSelector (`metadata.name`, `status.podIP`, …).
public struct ObjectFieldSelector: Codable, Hashable, Sendable {
    public var apiVersion: String?
    public var fieldPath: String

    public init(apiVersion: String? = nil, fieldPath: String) {
        self.apiVersion = apiVersion
        self.fieldPath = fieldPath
    }
}

/// core/v1 ResourceFieldSelector (`limits.memory`, …).
public struct ResourceFieldSelector: Codable, Hashable, Sendable {
    public var containerName: String?
    public var resource: String
    /// A resource.Quantity: a string or an integer on the wire.
    public var divisor: JSONValue?

    public init(containerName: String? = nil, resource: String, divisor: JSONValue? = nil) {
        self.containerName = containerName
        self.resource = resource
        self.divisor = divisor
    }
}

/// core/v1 ResourceRequirements; quantities stay as sent (`"500m"`, `2`).
public struct ResourceRequirements: Codable, Hashable, Sendable {
    public var limits: [String: JSONValue]?
    public var requests: [String: JSONValue]?

    public init(limits: [String: JSONValue]? = nil, requests: [String: JSONValue]? = nil) {
        self.limits = limits
        self.requests = requests
    }
}
