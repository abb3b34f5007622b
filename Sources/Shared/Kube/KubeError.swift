/// Every failure of a Kubernetes API call, with its cause attached.
///
/// Transient versus permanent is decided in exactly one place, `disposition`; retry loops,
/// the informer and the executor's outcomes all ask it.
public enum KubeError: Error, Sendable, CustomStringConvertible {
    /// The API server answered with an error Status (reason, code, message, causes).
    /// `retryAfter` comes from the `Retry-After` header or `details.retryAfterSeconds`.
    case api(Status, retryAfter: Duration?)
    /// No HTTP response: connection refused or cut, timeout, TLS failure.
    case transport(TransportError)
    /// The server's answer could not be decoded as the expected type.
    case decoding(String)
    /// A configuration setting is missing or wrong; `setting` names it for the operator.
    case configuration(setting: String, message: String)

    /// How a caller should react to an error.
    public enum Disposition: Sendable, Equatable {
        /// Try again later; after at least `after` when the server said so.
        case transient(after: Duration?)
        /// Retrying the same request cannot succeed.
        case permanent
    }

    /// The single classification of every error the client can produce.
    public var disposition: Disposition {
        switch self {
        case .transport(let error):
            switch error.kind {
            case .connection, .timeout: return .transient(after: nil)
            case .tls, .cancelled, .other: return .permanent
            }
        case .api(let status, let retryAfter):
            switch status.code ?? 0 {
            // 429 TooManyRequests and the 5xx a healthy server returns while overloaded or
            // restarting; 501 Not Implemented is permanent.
            case 429, 500, 502, 503, 504: return .transient(after: retryAfter)
            default: return .permanent
            }
        case .decoding, .configuration:
            return .permanent
        }
    }

    /// The decoded Status, for API errors.
    public var status: Status? {
        if case .api(let status, _) = self { return status }
        return nil
    }

    /// HTTP status code of an API error.
    public var code: Int? { status?.code }
    /// Machine-readable reason of an API error (`NotFound`, `AlreadyExists`, `Conflict`, `Invalid`, `Gone`…).
    public var reason: String? { status?.reason }
    /// Field-level causes of an `Invalid` (422) error.
    public var causes: [StatusCause] { status?.details?.causes ?? [] }

    public var isNotFound: Bool { code == 404 }
    public var isAlreadyExists: Bool { code == 409 && reason == "AlreadyExists" }
    /// A resourceVersion precondition failed: re-read, recompute, write again.
    public var isConflict: Bool { code == 409 && reason != "AlreadyExists" }
    /// The requested resourceVersion is too old (watch or list continue): relist.
    public var isGone: Bool { code == 410 || reason == "Expired" || reason == "Gone" }

    public var description: String {
        switch self {
        case .api(let status, _):
            let causes = self.causes.map { "\($0.field ?? "?"): \($0.message ?? "")" }.joined(separator: "; ")
            return "API \(status.code ?? 0) \(status.reason ?? ""): \(status.message ?? "")"
                + (causes.isEmpty ? "" : " [\(causes)]")
        case .transport(let error): return error.description
        case .decoding(let message): return "decoding: \(message)"
        case .configuration(let setting, let message): return "configuration \(setting): \(message)"
        }
    }
}
