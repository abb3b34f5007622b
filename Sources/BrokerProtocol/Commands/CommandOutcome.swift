public import KubeJSON

/// A performer's answer to one `Command`: the executor's, carried as the result's payload, and
/// the gc's for its own writes.
///
/// The watcher never reads facts from outcomes (the API is the truth); an outcome only tells it
/// when to decide again: at once (`done`, `alreadyExists`, `conflict`, `notFound`: fresh state is
/// on its way through the watch), or after a backoff (`failed`).
public enum CommandOutcome: Hashable, Sendable {
    /// The write was made (or, for a fresh read, its condition was checked and acted on).
    case done
    /// The object already existed and is ours: the write had been made before.
    case alreadyExists
    /// A resourceVersion precondition failed: the decision was made from stale state.
    case conflict
    /// The object is gone.
    case notFound
    /// The API server refused the write for good (Invalid, Forbidden, quota, a name taken by
    /// another owner); the message says why. Recorded where the decision can see it when it
    /// matters (a rejected pod goes to the run's record, `RunRecord.podCreateFailure`).
    case invalid(String)
    /// A transient failure outlasted the client's retry deadline; decide again later.
    case failed(String)

    /// The `outcome` member of the encoded payload.
    public var name: String {
        switch self {
        case .done: "done"
        case .alreadyExists: "alreadyExists"
        case .conflict: "conflict"
        case .notFound: "notFound"
        case .invalid: "invalid"
        case .failed: "failed"
        }
    }

    /// The message of `invalid` and `failed`.
    public var message: String? {
        switch self {
        case .invalid(let message), .failed(let message): message
        default: nil
        }
    }

    /// True when the state the decision asked for holds now.
    public var succeeded: Bool { self == .done || self == .alreadyExists }

    /// True when the write was refused or failed past the client's retries (`invalid`, `failed`):
    /// deciding again at once will not change it; a later attempt may.
    public var isFailure: Bool { message != nil }

    /// The result payload: `{"outcome": "<name>", "message": "…"}`.
    public var payload: JSONValue {
        var object: [String: JSONValue] = ["outcome": .string(name)]
        if let message { object["message"] = .string(message) }
        return .object(object)
    }

    /// Reads a result payload; nil when it is not an outcome (e.g. a broker error has none).
    public init?(payload: JSONValue) {
        let message = payload["message"]?.stringValue ?? ""
        switch payload["outcome"]?.stringValue {
        case "done": self = .done
        case "alreadyExists": self = .alreadyExists
        case "conflict": self = .conflict
        case "notFound": self = .notFound
        case "invalid": self = .invalid(message)
        case "failed": self = .failed(message)
        default: return nil
        }
    }
}
