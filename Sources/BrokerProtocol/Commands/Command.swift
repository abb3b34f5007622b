import Models

/// One API write (or fresh read) a decision asks for: the watcher's for a run or a schedule,
/// performed by an executor; the gc's, performed by the gc itself.
///
/// Guarantees:
/// - `id` is deterministic: the same decision over the same observed state yields the same id, so
///   the broker and the deciders drop duplicates and a performer may safely perform a
///   re-dispatched command twice (every action is idempotent: see each payload's note).
/// - `key` is the routing key: the object whose writes must stay in order (the OMJob for a run's
///   writes, the CronOMJob for a schedule's). The broker sends every command with one key to the
///   same executor, so they happen in the order the decision listed them.
/// - `owner` names the object the command acts for by UID: a performer never acts for a newer
///   object that reuses the name.
/// The broker treats the encoded command as opaque JSON plus `id` and `key`.
public struct Command: Codable, Hashable, Sendable {
    /// Deterministic identity, e.g. `<omjob uid>/create/<pod name>`.
    public var id: String
    /// The object whose writes stay in order: the broker's routing key.
    public var key: ObjectKey
    /// The object the command is for (kind and UID).
    public var owner: CommandOwner
    public var action: CommandAction

    public init(id: String, key: ObjectKey, owner: CommandOwner, action: CommandAction) {
        self.id = id
        self.key = key
        self.owner = owner
        self.action = action
    }
}

/// The object a command acts for: an OMJob (a run's writes, the gc's cleanup of a run), a
/// CronOMJob (a schedule's writes, the gc's history limits) or a pod (the gc's report of a
/// finalizer held too long).
public struct CommandOwner: Codable, Hashable, Sendable {
    /// The owner's kind, as in its `kind` field.
    public enum Kind: String, Codable, Hashable, Sendable {
        case omJob = "OMJob"
        case cronOMJob = "CronOMJob"
        case pod = "Pod"
    }

    public var kind: Kind
    /// The owner's UID, as the decision saw it.
    public var uid: String

    public init(kind: Kind, uid: String) {
        self.kind = kind
        self.uid = uid
    }

    /// A run (OMJob) with this UID.
    public static func omJob(_ uid: String) -> CommandOwner { CommandOwner(kind: .omJob, uid: uid) }

    /// A schedule (CronOMJob) with this UID.
    public static func cronOMJob(_ uid: String) -> CommandOwner { CommandOwner(kind: .cronOMJob, uid: uid) }
}

/// What a performer does. Encoded as `{"type": "<case>", …payload members}`.
public enum CommandAction: Hashable, Sendable {
    /// POST a pod; see `CreatePod`.
    case createPod(CreatePod)
    /// Merge-patch the OMJob's status subresource under a resourceVersion precondition (and its
    /// record's annotations first where the CRD prunes the status).
    case patchOMJobStatus(PatchOMJobStatus)
    /// Add a finalizer to the OMJob or one of its pods.
    case addFinalizer(FinalizerChange)
    /// Remove a finalizer from the OMJob or one of its pods.
    case removeFinalizer(FinalizerChange)
    /// Stop a pod's containers while keeping the object (and its logs) through the operator's finalizer.
    case stopPod(DeletePod)
    /// Delete a pod for good.
    case deletePod(DeletePod)
    /// Create a core/v1 Event (deterministic name: `409` means recorded).
    case recordEvent(RecordEvent)
    /// Read a pod fresh from the API server; only if it is gone, apply a status patch.
    case confirmPodAbsent(ConfirmPodAbsent)
    /// Read a pod fresh; only if it is unchanged, apply a status patch (an ending that rests on a deadline).
    case confirmPodUnchanged(ConfirmPodUnchanged)
    /// POST a scheduled run; see `CreateOMJob`.
    case createOMJob(CreateOMJob)
    /// DELETE a run (Replace, a history limit, a TTL); see `DeleteOMJob`.
    case deleteOMJob(DeleteOMJob)
    /// Merge-patch the CronOMJob's status subresource under a resourceVersion precondition.
    case patchCronOMJobStatus(PatchCronOMJobStatus)

    /// The `type` member of the encoded form, and the `type` label of the executor's counters.
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
        case .createOMJob: "createOMJob"
        case .deleteOMJob: "deleteOMJob"
        case .patchCronOMJobStatus: "patchCronOMJobStatus"
        }
    }

    /// Whether, after `outcome`, the state this action asked for holds: a delete whose object is
    /// gone, a create or an event found already made. A list of writes that must happen in order
    /// (the gc's "delete the pods, then record the cleanup") goes on only past such an outcome.
    public func holds(after outcome: CommandOutcome) -> Bool {
        switch (self, outcome) {
        case (_, .done): true
        case (.createPod, .alreadyExists), (.createOMJob, .alreadyExists), (.recordEvent, .alreadyExists): true
        case (.stopPod, .notFound), (.deletePod, .notFound), (.deleteOMJob, .notFound): true
        default: false
        }
    }
}

extension CommandAction: Codable {
    private enum TypeKey: String, CodingKey { case type }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: TypeKey.self)
        let type = try container.decode(String.self, forKey: .type)
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
        case "createOMJob": self = .createOMJob(try CreateOMJob(from: decoder))
        case "deleteOMJob": self = .deleteOMJob(try DeleteOMJob(from: decoder))
        case "patchCronOMJobStatus": self = .patchCronOMJobStatus(try PatchCronOMJobStatus(from: decoder))
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .type, in: container, debugDescription: "unknown command type \(type)")
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
        case .createOMJob(let p): try p.encode(to: encoder)
        case .deleteOMJob(let p): try p.encode(to: encoder)
        case .patchCronOMJobStatus(let p): try p.encode(to: encoder)
        }
    }
}
