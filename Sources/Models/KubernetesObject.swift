public import KubeJSON

/// Where a kind lives in the API: enough to build every URL for it.
public struct ResourceType: Hashable, Sendable {
    /// API group; empty for the core group.
    public var group: String
    public var version: String
    public var kind: String
    /// Lower-case plural used in URLs (`pods`, `omjobs`).
    public var plural: String
    public var namespaced: Bool

    public init(group: String, version: String, kind: String, plural: String, namespaced: Bool = true) {
        self.group = group
        self.version = version
        self.kind = kind
        self.plural = plural
        self.namespaced = namespaced
    }

    /// `v1` for the core group, `group/version` otherwise.
    public var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }

    /// `/api/v1` or `/apis/<group>/<version>`.
    public var basePath: String { group.isEmpty ? "/api/\(version)" : "/apis/\(group)/\(version)" }

    /// The collection path, in one namespace or (nil) across all namespaces.
    public func collectionPath(namespace: String?) -> String {
        if namespaced, let namespace { return "\(basePath)/namespaces/\(namespace)/\(plural)" }
        return "\(basePath)/\(plural)"
    }

    /// The path of one object, optionally of a subresource (`status`, `log`, `eviction`).
    public func objectPath(namespace: String?, name: String, subresource: String? = nil) -> String {
        let base = "\(collectionPath(namespace: namespace))/\(name)"
        return subresource.map { "\(base)/\($0)" } ?? base
    }
}

/// A Kubernetes object the client can read and write.
public protocol KubernetesObject: Codable, Sendable {
    /// The kind's place in the API.
    static var resourceType: ResourceType { get }
    var metadata: ObjectMeta { get set }
}

/// A list response (`kind: XList`).
public struct ObjectList<Item: KubernetesObject>: Codable, Sendable {
    public var metadata: ListMeta
    public var items: [Item]

    public init(metadata: ListMeta = ListMeta(), items: [Item]) {
        self.metadata = metadata
        self.items = items
    }
}

/// metav1.ListMeta.
public struct ListMeta: Codable, Hashable, Sendable {
    public var resourceVersion: String?
    public var `continue`: String?
    public var remainingItemCount: Int64?

    public init(resourceVersion: String? = nil, continue: String? = nil) {
        self.resourceVersion = resourceVersion
        self.continue = `continue`
    }
}

/// One line of a watch stream, before its object is decoded (ERROR carries a Status, BOOKMARK a stub).
public struct RawWatchEvent: Codable, Sendable {
    /// ADDED, MODIFIED, DELETED, BOOKMARK or ERROR.
    public var type: String
    public var object: JSONValue

    public init(type: String, object: JSONValue) {
        self.type = type
        self.object = object
    }
}
