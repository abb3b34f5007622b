/// metav1.Status: the body of every API error, decoded so errors carry reason, code and causes.
public struct Status: Codable, Hashable, Sendable, Error {
    public var status: String?
    public var message: String?
    /// Machine-readable reason: NotFound, AlreadyExists, Conflict, Invalid, Gone, TooManyRequests…
    public var reason: String?
    public var code: Int?
    public var details: StatusDetails?

    public init(
        status: String? = "Failure", message: String? = nil, reason: String? = nil, code: Int? = nil,
        details: StatusDetails? = nil
    ) {
        self.status = status
        self.message = message
        self.reason = reason
        self.code = code
        self.details = details
    }
}

/// metav1.StatusDetails.
public struct StatusDetails: Codable, Hashable, Sendable {
    public var name: String?
    public var group: String?
    public var kind: String?
    public var uid: String?
    public var causes: [StatusCause]?
    public var retryAfterSeconds: Int?

    public init(name: String? = nil, kind: String? = nil, causes: [StatusCause]? = nil, retryAfterSeconds: Int? = nil) {
        self.name = name
        self.kind = kind
        self.causes = causes
        self.retryAfterSeconds = retryAfterSeconds
    }
}

/// metav1.StatusCause: one field-level reason of an Invalid error.
public struct StatusCause: Codable, Hashable, Sendable {
    public var reason: String?
    public var message: String?
    public var field: String?

    public init(reason: String? = nil, message: String? = nil, field: String? = nil) {
        self.reason = reason
        self.message = message
        self.field = field
    }
}
