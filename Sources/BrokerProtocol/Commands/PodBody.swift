import Foundation
public import KubeJSON
public import Models

/// The pod a `createPod` command carries: the model the decision built, or, in a command read
/// from a frame, the pod's JSON text as the watcher wrote it, which the executor POSTs as it is.
///
/// Why: the pod is most of a command's bytes. Reading it into `Pod` and writing it back out
/// for the request was about half of the executor's instructions; the text is only checked
/// (one JSON object with an object `metadata`) and its name read on the way. The API server
/// validates the rest, as it always did. Both forms encode to the same JSON, and compare equal
/// when that JSON is equal.
public enum PodBody: Hashable, Sendable {
    /// The pod as the decision built it.
    case model(Pod)
    /// The pod's JSON text as a frame carried it, and its `metadata.name`.
    case text(JSONText, name: String?)

    /// The pod's `metadata.name`.
    public var name: String? {
        switch self {
        case .model(let pod): pod.metadata.name
        case .text(_, let name): name
        }
    }

    /// The pod as its model (the text decoded with `Codable`; for tools and tests).
    public func decoded() throws -> Pod {
        switch self {
        case .model(let pod): pod
        case .text(let text, _): try JSONDecoder().decode(Pod.self, from: Data(text.bytes))
        }
    }

    /// The JSON the pod is sent as.
    func json() throws -> JSONValue {
        switch self {
        case .model(let pod): try JSONValueEncoder.encode(pod)
        case .text(let text, _): text.value
        }
    }

    public static func == (lhs: PodBody, rhs: PodBody) -> Bool {
        switch (lhs, rhs) {
        case (.model(let a), .model(let b)): return a == b
        case (.text(let a, _), .text(let b, _)) where a == b: return true
        default:
            guard lhs.name == rhs.name, let a = try? lhs.json(), let b = try? rhs.json() else { return false }
            return a == b
        }
    }

    /// By name only: equal bodies have equal names, whichever their forms.
    public func hash(into hasher: inout Hasher) { hasher.combine(name) }
}

/// As `Pod` (a frame's `pod` member is the pod object itself).
extension PodBody: Codable {
    public init(from decoder: any Decoder) throws { self = .model(try Pod(from: decoder)) }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .model(let pod): try pod.encode(to: encoder)
        case .text(let text, _): try text.encode(to: encoder)
        }
    }
}

extension PodBody: JSONReadable {
    /// Keeps the pod object's text, checked, and reads its name; `metadata` must be an object,
    /// as `Pod` requires.
    public init(reading reader: inout JSONReader) throws(JSONReadError) {
        guard try reader.peekKind() == .object else { throw reader.error("expected the pod as an object") }
        let start = reader.index
        var metadata = false
        var name: String?
        try reader.readObject { reader, key throws(JSONReadError) in
            guard key == "metadata" else { return try reader.skipValue() }
            metadata = true
            name = try reader.member("metadata") { reader throws(JSONReadError) in
                var name: String?
                try reader.readObject { reader, key throws(JSONReadError) in
                    if key == "name" {
                        name = try reader.member("name") { reader throws(JSONReadError) in try reader.readStringOrNull()
                        }
                    } else {
                        try reader.skipValue()
                    }
                }
                return name
            }
        }
        guard metadata else { throw reader.missing("metadata") }
        self = .text(reader.text(of: start..<reader.index), name: name)
    }
}
