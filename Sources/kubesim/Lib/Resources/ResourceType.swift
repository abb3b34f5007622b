import KubeJSON

/// A group and plural resource name: the key of a served resource (`pods`, `omjobs.pipelines.openmetadata.org`).
public struct GroupResource: Hashable, Sendable, CustomStringConvertible {
    public var group: String
    public var resource: String
    public init(group: String, resource: String) {
        self.group = group
        self.resource = resource
    }
    public var description: String { group.isEmpty ? resource : "\(resource).\(group)" }

    public static let pods = GroupResource(group: "", resource: "pods")
    public static let namespaces = GroupResource(group: "", resource: "namespaces")
    public static let nodes = GroupResource(group: "", resource: "nodes")
    public static let events = GroupResource(group: "", resource: "events")
    public static let eventsV1 = GroupResource(group: "events.k8s.io", resource: "events")
    public static let leases = GroupResource(group: "coordination.k8s.io", resource: "leases")
    public static let configMaps = GroupResource(group: "", resource: "configmaps")
    public static let secrets = GroupResource(group: "", resource: "secrets")
    public static let customResourceDefinitions = GroupResource(
        group: "apiextensions.k8s.io", resource: "customresourcedefinitions")
}

/// How a resource's objects are treated on write: the per-type "strategy" of the real server.
public enum ResourceBehavior: Sendable {
    case generic, pod, namespace, node, coreEvent, eventV1, lease, customResourceDefinition, customResource
}

/// A served resource type: names for discovery plus the rules its writes follow.
public struct ResourceType: Sendable {
    public var group: String
    /// Served versions, the storage version first.
    public var versions: [String]
    public var kind: String
    public var plural: String
    public var singular: String
    public var namespaced: Bool
    public var shortNames: [String]
    public var categories: [String]
    public var hasStatusSubresource: Bool
    public var behavior: ResourceBehavior
    /// Per served version: the structural schema of a custom resource.
    var schemas: [String: StructuralSchema] = [:]
    /// Per served version: `additionalPrinterColumns` of a custom resource (for `kubectl get`).
    var printerColumns: [String: [JSONValue]] = [:]

    public var groupResource: GroupResource { GroupResource(group: group, resource: plural) }
    public var storageVersion: String { versions[0] }
    public var listKind: String { kind + "List" }
    func apiVersion(_ version: String) -> String { group.isEmpty ? version : "\(group)/\(version)" }

    /// `metadata.generation` is kept and bumped on spec changes.
    var tracksGeneration: Bool { behavior == .customResource || behavior == .customResourceDefinition }
    /// A PUT without `metadata.resourceVersion` is accepted (last write wins).
    var allowsUnconditionalUpdate: Bool { behavior != .customResource && behavior != .customResourceDefinition }
    /// A PUT of a missing object creates it.
    var allowsCreateOnUpdate: Bool { behavior == .coreEvent || behavior == .eventV1 || behavior == .lease }
    /// DELETE answers with the object rather than a Success Status.
    var returnsDeletedObject: Bool { behavior == .pod || behavior == .namespace }
    /// Names are DNS-1123 labels (namespaces) rather than subdomains.
    var nameIsLabel: Bool { behavior == .namespace }

    func subject(_ name: String) -> ErrorSubject { ErrorSubject(group: group, plural: plural, kind: kind, name: name) }

    public init(
        group: String, versions: [String], kind: String, plural: String, singular: String? = nil, namespaced: Bool,
        shortNames: [String] = [], categories: [String] = [], hasStatusSubresource: Bool = false,
        behavior: ResourceBehavior = .generic
    ) {
        self.group = group
        self.versions = versions
        self.kind = kind
        self.plural = plural
        self.singular = singular ?? kind.lowercased()
        self.namespaced = namespaced
        self.shortNames = shortNames
        self.categories = categories
        self.hasStatusSubresource = hasStatusSubresource
        self.behavior = behavior
    }
}

extension ResourceType {
    /// The built-in resources every kubesim serves.
    static let builtins: [ResourceType] = [
        ResourceType(
            group: "", versions: ["v1"], kind: "Namespace", plural: "namespaces", namespaced: false, shortNames: ["ns"],
            hasStatusSubresource: true, behavior: .namespace),
        ResourceType(
            group: "", versions: ["v1"], kind: "Pod", plural: "pods", namespaced: true, shortNames: ["po"],
            categories: ["all"], hasStatusSubresource: true, behavior: .pod),
        ResourceType(
            group: "", versions: ["v1"], kind: "Node", plural: "nodes", namespaced: false, shortNames: ["no"],
            hasStatusSubresource: true, behavior: .node),
        ResourceType(
            group: "", versions: ["v1"], kind: "ConfigMap", plural: "configmaps", namespaced: true, shortNames: ["cm"]),
        ResourceType(group: "", versions: ["v1"], kind: "Secret", plural: "secrets", namespaced: true),
        ResourceType(
            group: "", versions: ["v1"], kind: "Event", plural: "events", namespaced: true, shortNames: ["ev"],
            behavior: .coreEvent),
        ResourceType(
            group: "events.k8s.io", versions: ["v1"], kind: "Event", plural: "events", namespaced: true,
            shortNames: ["ev"], behavior: .eventV1),
        ResourceType(
            group: "coordination.k8s.io", versions: ["v1"], kind: "Lease", plural: "leases", namespaced: true,
            behavior: .lease),
        ResourceType(
            group: "apiextensions.k8s.io", versions: ["v1"], kind: "CustomResourceDefinition",
            plural: "customresourcedefinitions",
            namespaced: false, shortNames: ["crd", "crds"], hasStatusSubresource: true,
            behavior: .customResourceDefinition),
    ]
}
