/// One API write the watcher's CronOMJob scheduler asks an executor to perform.
///
/// Kept apart from `Command` (one run's writes, routed by OMJob) because these are routed by
/// the CronOMJob: `key` is its `namespace/name`, so the broker sends every write of one
/// schedule to the same executor and a run's creation is never reordered with the status that
/// records it.
///
/// Guarantees: `id` is deterministic (same decision over the same state, same id); every
/// action is idempotent (see each payload).
public struct CronCommand: Codable, Hashable, Sendable {
    /// Deterministic identity, e.g. `<cron uid>/create/<run name>`.
    public var id: String
    /// The CronOMJob the command is for: the broker's routing key.
    public var key: ObjectKey
    /// The CronOMJob's UID: an executor never acts for a newer object reusing the name.
    public var cronUID: String
    public var action: CronCommandAction

    public init(id: String, key: ObjectKey, cronUID: String, action: CronCommandAction) {
        self.id = id
        self.key = key
        self.cronUID = cronUID
        self.action = action
    }
}

/// What an executor does for a CronOMJob. Encoded as `{"type": "<case>", …payload members}`.
public enum CronCommandAction: Hashable, Sendable {
    /// POST a run; see `CreateOMJob`.
    case createOMJob(CreateOMJob)
    /// DELETE a run (Replace, or a history limit); see `DeleteOMJob`.
    case deleteOMJob(DeleteOMJob)
    /// Merge-patch the CronOMJob's status subresource under a resourceVersion precondition.
    case patchCronOMJobStatus(PatchCronOMJobStatus)
    /// Create a core/v1 Event on the CronOMJob (deterministic name: 409 means recorded).
    case recordEvent(RecordEvent)

    /// The `type` member of the encoded form.
    public var type: String {
        switch self {
        case .createOMJob: "createOMJob"
        case .deleteOMJob: "deleteOMJob"
        case .patchCronOMJobStatus: "patchCronOMJobStatus"
        case .recordEvent: "recordEvent"
        }
    }
}

extension CronCommandAction: Codable {
    private enum TypeKey: String, CodingKey { case type }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: TypeKey.self)
        let type = try container.decode(String.self, forKey: .type)
        switch type {
        case "createOMJob": self = .createOMJob(try CreateOMJob(from: decoder))
        case "deleteOMJob": self = .deleteOMJob(try DeleteOMJob(from: decoder))
        case "patchCronOMJobStatus": self = .patchCronOMJobStatus(try PatchCronOMJobStatus(from: decoder))
        case "recordEvent": self = .recordEvent(try RecordEvent(from: decoder))
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .type, in: container, debugDescription: "unknown cron command type \(type)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: TypeKey.self)
        try container.encode(type, forKey: .type)
        switch self {
        case .createOMJob(let p): try p.encode(to: encoder)
        case .deleteOMJob(let p): try p.encode(to: encoder)
        case .patchCronOMJobStatus(let p): try p.encode(to: encoder)
        case .recordEvent(let p): try p.encode(to: encoder)
        }
    }
}
