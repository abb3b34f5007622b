/// One API write (or fresh read) the watcher asks an executor to perform for one run.
///
/// Guarantees:
/// - `id` is deterministic: the same decision over the same observed state yields the same id, so
///   the broker and the watcher drop duplicates and an executor may safely perform a re-dispatched
///   command twice (every action is idempotent: see each payload's note).
/// - `key` is the OMJob's `namespace/name`: the broker routes every command of one run to the same
///   executor, so one run's writes happen in the order the decision listed them.
/// The broker treats the encoded command as opaque JSON plus `id` and `key`.
public struct Command: Codable, Hashable, Sendable {
    /// Deterministic identity, e.g. `<omjob uid>/create/<pod name>`.
    public var id: String
    /// The OMJob the command is for: the broker's routing key.
    public var key: ObjectKey
    /// The UID of that OMJob: an executor never acts for a newer object that reuses the name.
    public var omJobUID: String
    public var action: CommandAction

    public init(id: String, key: ObjectKey, omJobUID: String, action: CommandAction) {
        self.id = id
        self.key = key
        self.omJobUID = omJobUID
        self.action = action
    }
}

/// What an executor does. Encoded as `{"type": "<case>", …payload members}`.
public enum CommandAction: Hashable, Sendable {
    /// POST a pod; see `CreatePod`.
    case createPod(CreatePod)
    /// Merge-patch the OMJob's status subresource under a resourceVersion precondition.
    case patchOMJobStatus(PatchOMJobStatus)
    /// Add a finalizer to the OMJob or one of its pods.
    case addFinalizer(FinalizerChange)
    /// Remove a finalizer from the OMJob or one of its pods.
    case removeFinalizer(FinalizerChange)
    /// Stop a pod's containers while keeping the object (and its logs) through the operator's finalizer.
    case stopPod(DeletePod)
    /// Delete a pod for good.
    case deletePod(DeletePod)
    /// Create a core/v1 Event.
    case recordEvent(RecordEvent)
    /// Read a pod fresh from the API server; only if it is gone, apply a status patch.
    case confirmPodAbsent(ConfirmPodAbsent)
    /// Read a pod fresh; only if it is unchanged, apply a status patch (an ending that rests on a deadline).
    case confirmPodUnchanged(ConfirmPodUnchanged)

    /// The `type` member of the encoded form.
    public var type: String {
        switch self {
        case .createPod: "createPod"
        case .patchOMJobStatus: "patchOMJobStatus"
        case .addFinalizer: "addFinalizer"
        case .removeFinalizer: "removeFinalizer"
        case .stopPod: "stopPod"
        case .deletePod: "deletePod"
        case .recordEvent: "recordEvent"
        case .confirmPodAbsent: "confirmPodAbsent"
        case .confirmPodUnchanged: "confirmPodUnchanged"
        }
    }
}

extension CommandAction: Codable {
    private enum TypeKey: String, CodingKey { case type }

    public init(from decoder: any Decoder) throws {
        let type = try decoder.container(keyedBy: TypeKey.self).decode(String.self, forKey: .type)
        switch type {
        case "createPod": self = .createPod(try CreatePod(from: decoder))
        case "patchOMJobStatus": self = .patchOMJobStatus(try PatchOMJobStatus(from: decoder))
        case "addFinalizer": self = .addFinalizer(try FinalizerChange(from: decoder))
        case "removeFinalizer": self = .removeFinalizer(try FinalizerChange(from: decoder))
        case "stopPod": self = .stopPod(try DeletePod(from: decoder))
        case "deletePod": self = .deletePod(try DeletePod(from: decoder))
        case "recordEvent": self = .recordEvent(try RecordEvent(from: decoder))
        case "confirmPodAbsent": self = .confirmPodAbsent(try ConfirmPodAbsent(from: decoder))
        case "confirmPodUnchanged": self = .confirmPodUnchanged(try ConfirmPodUnchanged(from: decoder))
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .type, in: try decoder.container(keyedBy: TypeKey.self),
                debugDescription: "unknown command type \(type)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: TypeKey.self)
        try container.encode(type, forKey: .type)
        switch self {
        case .createPod(let p): try p.encode(to: encoder)
        case .patchOMJobStatus(let p): try p.encode(to: encoder)
        case .addFinalizer(let p), .removeFinalizer(let p): try p.encode(to: encoder)
        case .stopPod(let p), .deletePod(let p): try p.encode(to: encoder)
        case .recordEvent(let p): try p.encode(to: encoder)
        case .confirmPodAbsent(let p): try p.encode(to: encoder)
        case .confirmPodUnchanged(let p): try p.encode(to: encoder)
        }
    }
}
