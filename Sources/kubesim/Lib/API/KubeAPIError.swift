import KubeJSON

/// An API failure as the real API server reports it: HTTP code, `reason`, message and details,
/// rendered as a `metav1.Status` body. Every error kubesim returns is one of these.
public struct KubeAPIError: Error, Sendable, Equatable, CustomStringConvertible {
    /// One field-level cause (`details.causes[]`).
    public struct Cause: Sendable, Equatable {
        /// e.g. `FieldValueRequired`, `FieldValueInvalid`.
        public var reason: String
        public var message: String
        public var field: String
        public init(reason: String, message: String, field: String) {
            self.reason = reason
            self.message = message
            self.field = field
        }
    }

    public var code: Int
    public var reason: String
    public var message: String
    public var name: String?
    public var group: String?
    public var kind: String?
    public var uid: String?
    public var causes: [Cause]
    /// Sent as `details.retryAfterSeconds` and the `Retry-After` header.
    public var retryAfterSeconds: Int?

    public init(
        code: Int, reason: String, message: String, name: String? = nil, group: String? = nil,
        kind: String? = nil, causes: [Cause] = [], retryAfterSeconds: Int? = nil
    ) {
        self.code = code
        self.reason = reason
        self.message = message
        self.name = name
        self.group = group
        self.kind = kind
        self.causes = causes
        self.retryAfterSeconds = retryAfterSeconds
    }

    public var description: String { "\(code) \(reason): \(message)" }

    /// The `metav1.Status` body.
    public var status: JSONValue {
        var details: [String: JSONValue] = [:]
        if let name { details["name"] = .string(name) }
        if let group, !group.isEmpty { details["group"] = .string(group) }
        if let kind { details["kind"] = .string(kind) }
        if let uid { details["uid"] = .string(uid) }
        if !causes.isEmpty {
            details["causes"] = .array(
                causes.map {
                    ["reason": .string($0.reason), "message": .string($0.message), "field": .string($0.field)]
                })
        }
        if let retryAfterSeconds { details["retryAfterSeconds"] = .int(Int64(retryAfterSeconds)) }
        var status: [String: JSONValue] = [
            "kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Failure",
            "message": .string(message), "reason": .string(reason), "code": .int(Int64(code)),
        ]
        // A 404 for a path (no object named) carries `details: {}` like the real server.
        if !details.isEmpty || (code == 404 && name == nil) { status["details"] = .object(details) }
        return .object(status)
    }
}

/// The resource named in an error message: `pods "x"` or `omjobs.pipelines.openmetadata.org "x"`.
struct ErrorSubject: Sendable {
    var group: String
    var plural: String
    var kind: String
    var name: String
    var qualified: String { group.isEmpty ? plural : "\(plural).\(group)" }
    var qualifiedKind: String { group.isEmpty ? kind : "\(kind).\(group)" }
}

extension KubeAPIError {
    static func notFound(_ s: ErrorSubject) -> Self {
        .init(
            code: 404, reason: "NotFound", message: "\(s.qualified) \"\(s.name)\" not found", name: s.name,
            group: s.group, kind: s.plural)
    }
    static func alreadyExists(_ s: ErrorSubject) -> Self {
        .init(
            code: 409, reason: "AlreadyExists", message: "\(s.qualified) \"\(s.name)\" already exists", name: s.name,
            group: s.group, kind: s.plural)
    }
    static func conflict(_ s: ErrorSubject, _ detail: String) -> Self {
        .init(
            code: 409, reason: "Conflict",
            message: "Operation cannot be fulfilled on \(s.qualified) \"\(s.name)\": \(detail)",
            name: s.name, group: s.group, kind: s.plural)
    }
    static func staleResourceVersion(_ s: ErrorSubject) -> Self {
        conflict(s, "the object has been modified; please apply your changes to the latest version and try again")
    }
    /// 422 Invalid; the message lists the causes like `field.ErrorList.ToAggregate()`.
    static func invalid(_ s: ErrorSubject, _ errors: [FieldError]) -> Self {
        let texts = errors.map(\.text)
        let joined = texts.count == 1 ? texts[0] : "[" + texts.joined(separator: ", ") + "]"
        return .init(
            code: 422, reason: "Invalid", message: "\(s.qualifiedKind) \"\(s.name)\" is invalid: \(joined)",
            name: s.name, group: s.group, kind: s.kind, causes: errors.map(\.cause))
    }
    static func badRequest(_ message: String) -> Self { .init(code: 400, reason: "BadRequest", message: message) }
    static let unauthorized = Self(code: 401, reason: "Unauthorized", message: "Unauthorized")
    static func forbidden(_ s: ErrorSubject, _ detail: String) -> Self {
        .init(
            code: 403, reason: "Forbidden", message: "\(s.qualified) \"\(s.name)\" is forbidden: \(detail)",
            name: s.name, group: s.group, kind: s.plural)
    }
    static let methodNotAllowed = Self(
        code: 405, reason: "MethodNotAllowed",
        message: "the server does not allow this method on the requested resource")
    static func notFoundPath() -> Self {
        .init(code: 404, reason: "NotFound", message: "the server could not find the requested resource")
    }
    static func expired(_ message: String) -> Self { .init(code: 410, reason: "Expired", message: message) }
    static func gone(_ message: String) -> Self { .init(code: 410, reason: "Gone", message: message) }
    static func unsupportedMediaType(_ contentType: String) -> Self {
        .init(
            code: 415, reason: "UnsupportedMediaType",
            message:
                "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf"
        )
    }
    static func tooLarge(limit: Int) -> Self {
        .init(code: 413, reason: "RequestEntityTooLarge", message: "Request entity too large: limit is \(limit)")
    }
    /// 429 as max-in-flight or priority-and-fairness send it.
    public static func tooManyRequests(retryAfterSeconds: Int = 1) -> Self {
        .init(
            code: 429, reason: "TooManyRequests", message: "Too many requests, please try again later.",
            retryAfterSeconds: retryAfterSeconds)
    }
    /// 500 InternalError wrapping an unexpected failure.
    public static func internalError(_ detail: String) -> Self {
        .init(
            code: 500, reason: "InternalError", message: "Internal error occurred: \(detail)",
            causes: [.init(reason: "UnexpectedServerResponse", message: detail, field: "")])
    }
}

/// One field error, as `field.Error` renders it.
struct FieldError: Sendable, Equatable {
    enum Kind: Sendable { case required, invalid, typeInvalid, notSupported, tooLong, tooMany, forbidden, duplicate }
    var kind: Kind
    var field: String
    /// The rendered bad value (already quoted for strings) or nil.
    var value: String?
    var detail: String

    var reason: String {
        switch kind {
        case .required: "FieldValueRequired"
        case .invalid: "FieldValueInvalid"
        case .typeInvalid: "FieldValueTypeInvalid"
        case .notSupported: "FieldValueNotSupported"
        case .tooLong: "FieldValueTooLong"
        case .tooMany: "FieldValueTooMany"
        case .forbidden: "FieldValueForbidden"
        case .duplicate: "FieldValueDuplicate"
        }
    }

    /// The message without the field path, as in `details.causes[].message`.
    var message: String {
        switch kind {
        case .required: detail.isEmpty ? "Required value" : "Required value: \(detail)"
        case .invalid: "Invalid value: \(value ?? "null")" + (detail.isEmpty ? "" : ": \(detail)")
        case .typeInvalid: "Invalid value: \(value ?? "null"): \(detail)"
        case .notSupported: "Unsupported value: \(value ?? "null")" + (detail.isEmpty ? "" : ": \(detail)")
        case .tooLong: "Too long: \(detail)"
        case .tooMany: "Too many: \(detail)"
        case .forbidden: "Forbidden: \(detail)"
        case .duplicate: "Duplicate value: \(value ?? "null")"
        }
    }

    var text: String { "\(field): \(message)" }
    var cause: KubeAPIError.Cause { .init(reason: reason, message: message, field: field) }

    static func required(_ field: String, _ detail: String = "") -> Self {
        .init(kind: .required, field: field, value: nil, detail: detail)
    }
    static func invalid(_ field: String, _ value: JSONValue, _ detail: String) -> Self {
        .init(kind: .invalid, field: field, value: renderValue(value), detail: detail)
    }
    static func forbidden(_ field: String, _ detail: String) -> Self {
        .init(kind: .forbidden, field: field, value: nil, detail: detail)
    }

    /// Renders a bad value like `field.Error` does: strings quoted, numbers bare.
    static func renderValue(_ value: JSONValue) -> String {
        switch value {
        case .string(let s): return "\"\(s)\""
        case .int(let i): return String(i)
        case .double(let d): return String(d)
        case .bool(let b): return String(b)
        case .null: return "null"
        case .array: return "[]interface {}{...}"
        case .object: return "map[string]interface {}{...}"
        }
    }
}
