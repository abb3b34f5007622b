import Models

/// Query parameters of a list (`limit`/`continue` for pagination).
public struct ListOptions: Sendable, Hashable {
    public var labelSelector: String?
    public var fieldSelector: String?
    /// Page size; nil asks for everything at once.
    public var limit: Int?
    /// The token from the previous page's `metadata.continue`.
    public var continueToken: String?
    /// "0" lets the server answer from its cache; nil asks for the latest (quorum) state.
    public var resourceVersion: String?
    /// Ask for each item's metadata only (`PartialObjectMetadataList`; read the items as
    /// `PartialObjectMetadata` or any model that reads only `metadata`).
    public var metadataOnly: Bool

    public init(
        labelSelector: String? = nil, fieldSelector: String? = nil, limit: Int? = nil, continueToken: String? = nil,
        resourceVersion: String? = nil, metadataOnly: Bool = false
    ) {
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
        self.limit = limit
        self.continueToken = continueToken
        self.resourceVersion = resourceVersion
        self.metadataOnly = metadataOnly
    }

    /// The `Accept` header the list is asked with.
    var accept: String { metadataOnly ? MetadataOnly.listAccept : "application/json" }

    var query: [(String, String)] {
        var query: [(String, String)] = []
        if let labelSelector { query.append(("labelSelector", labelSelector)) }
        if let fieldSelector { query.append(("fieldSelector", fieldSelector)) }
        if let limit { query.append(("limit", String(limit))) }
        if let continueToken { query.append(("continue", continueToken)) }
        if let resourceVersion { query.append(("resourceVersion", resourceVersion)) }
        return query
    }
}

/// Query parameters of a watch.
public struct WatchOptions: Sendable, Hashable {
    public var labelSelector: String?
    public var fieldSelector: String?
    /// Start after this version (from a list or the last event seen).
    public var resourceVersion: String?
    /// Ask for BOOKMARK events, which advance the version without an object change.
    public var allowWatchBookmarks: Bool
    /// The server ends the stream cleanly after this long; the informer then resumes.
    public var timeoutSeconds: Int?
    /// Ask for each event's object as its metadata only (`PartialObjectMetadata`); ERROR
    /// events still carry a Status.
    public var metadataOnly: Bool

    public init(
        labelSelector: String? = nil, fieldSelector: String? = nil, resourceVersion: String? = nil,
        allowWatchBookmarks: Bool = true, timeoutSeconds: Int? = nil, metadataOnly: Bool = false
    ) {
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
        self.resourceVersion = resourceVersion
        self.allowWatchBookmarks = allowWatchBookmarks
        self.timeoutSeconds = timeoutSeconds
        self.metadataOnly = metadataOnly
    }

    /// The `Accept` header the watch is asked with.
    var accept: String { metadataOnly ? MetadataOnly.watchAccept : "application/json" }

    var query: [(String, String)] {
        var query: [(String, String)] = [("watch", "true")]
        if let labelSelector { query.append(("labelSelector", labelSelector)) }
        if let fieldSelector { query.append(("fieldSelector", fieldSelector)) }
        if let resourceVersion { query.append(("resourceVersion", resourceVersion)) }
        if allowWatchBookmarks { query.append(("allowWatchBookmarks", "true")) }
        if let timeoutSeconds { query.append(("timeoutSeconds", String(timeoutSeconds))) }
        return query
    }
}

/// metav1.DeleteOptions.
public struct DeleteOptions: Encodable, Sendable, Hashable {
    /// How dependents are garbage-collected.
    public enum Propagation: String, Encodable, Sendable {
        case foreground = "Foreground"
        case background = "Background"
        case orphan = "Orphan"
    }

    /// Delete only if the object still has this uid / resourceVersion.
    public struct Preconditions: Encodable, Sendable, Hashable {
        public var uid: String?
        public var resourceVersion: String?
        public init(uid: String? = nil, resourceVersion: String? = nil) {
            self.uid = uid
            self.resourceVersion = resourceVersion
        }
    }

    public var kind = "DeleteOptions"
    public var apiVersion = "v1"
    public var gracePeriodSeconds: Int64?
    public var propagationPolicy: Propagation?
    public var preconditions: Preconditions?

    public init(
        gracePeriodSeconds: Int64? = nil, propagationPolicy: Propagation? = nil, preconditions: Preconditions? = nil
    ) {
        self.gracePeriodSeconds = gracePeriodSeconds
        self.propagationPolicy = propagationPolicy
        self.preconditions = preconditions
    }
}

/// The three patch formats of the API server, by content type.
public enum PatchType: String, Sendable {
    /// RFC 7386: objects merge, `null` deletes, lists are replaced.
    case merge = "application/merge-patch+json"
    /// RFC 6902: a list of operations (`test` gives optimistic concurrency).
    case json = "application/json-patch+json"
    /// Kubernetes' merge keyed by list element names (built-in kinds only, not CRDs).
    case strategic = "application/strategic-merge-patch+json"
}
