import KubeJSON

/// Which endpoint of an object a write goes through.
public enum Subresource: String, Sendable {
    /// The object itself: status changes are ignored when the type has a status subresource.
    case main
    /// `/status`: only `status` changes are kept.
    case status
}

/// The three patch formats kubesim applies (server-side apply is answered with 415).
public enum PatchType: String, Sendable {
    case json = "application/json-patch+json"
    case merge = "application/merge-patch+json"
    case strategicMerge = "application/strategic-merge-patch+json"
}

/// `ListOptions` of a list request.
public struct ListOptions: Sendable {
    public var labelSelector: String?
    public var fieldSelector: String?
    public var limit: Int?
    public var continueToken: String?
    public var resourceVersion: String?
    public var resourceVersionMatch: String?
    public init(
        labelSelector: String? = nil, fieldSelector: String? = nil, limit: Int? = nil, continueToken: String? = nil,
        resourceVersion: String? = nil, resourceVersionMatch: String? = nil
    ) {
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
        self.limit = limit
        self.continueToken = continueToken
        self.resourceVersion = resourceVersion
        self.resourceVersionMatch = resourceVersionMatch
    }
}

/// One page of a list.
public struct ListResult: Sendable {
    public var items: [JSONValue]
    public var resourceVersion: Int64
    public var continueToken: String?
    public var remainingItemCount: Int?
}

/// `DeleteOptions`, from the query or the request body.
public struct DeleteOptions: Sendable {
    /// `Background`, `Foreground` or `Orphan`.
    public var propagationPolicy: String?
    public var gracePeriodSeconds: Int64?
    public var preconditionUID: String?
    public var preconditionResourceVersion: String?
    public var orphanDependents: Bool?
    public init(
        propagationPolicy: String? = nil, gracePeriodSeconds: Int64? = nil, preconditionUID: String? = nil,
        preconditionResourceVersion: String? = nil, orphanDependents: Bool? = nil
    ) {
        self.propagationPolicy = propagationPolicy
        self.gracePeriodSeconds = gracePeriodSeconds
        self.preconditionUID = preconditionUID
        self.preconditionResourceVersion = preconditionResourceVersion
        self.orphanDependents = orphanDependents
    }

    /// Reads a `DeleteOptions` body.
    init(body: JSONValue) {
        propagationPolicy = body["propagationPolicy"]?.stringValue
        gracePeriodSeconds = body["gracePeriodSeconds"]?.intValue
        preconditionUID = body[path: ["preconditions", "uid"]]?.stringValue
        preconditionResourceVersion = body[path: ["preconditions", "resourceVersion"]]?.stringValue
        orphanDependents = body["orphanDependents"]?.boolValue
    }
}

/// What a delete did.
public enum DeleteOutcome: Sendable {
    /// Removed from the store; the object as it was last.
    case deleted(JSONValue)
    /// Marked with deletionTimestamp, held by finalizers or a grace period.
    case pending(JSONValue)

    public var object: JSONValue {
        switch self {
        case .deleted(let o), .pending(let o): o
        }
    }
}

/// Options of a watch.
public struct WatchOptions: Sendable {
    /// Empty or "0": start with synthetic ADDED events for the current state; else replay after it.
    public var resourceVersion: String?
    public var labelSelector: String?
    public var fieldSelector: String?
    public var allowBookmarks: Bool
    public init(
        resourceVersion: String? = nil, labelSelector: String? = nil, fieldSelector: String? = nil,
        allowBookmarks: Bool = false
    ) {
        self.resourceVersion = resourceVersion
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
        self.allowBookmarks = allowBookmarks
    }
}

/// Tuning of the store.
public struct StoreConfiguration: Sendable {
    /// Events kept per resource for watch resumption; older resourceVersions get 410 Expired.
    public var historyLimit: Int = 10_000
    public init(historyLimit: Int = 10_000) { self.historyLimit = historyLimit }
}
