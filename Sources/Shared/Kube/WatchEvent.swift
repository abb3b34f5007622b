import KubeJSON

/// One decoded event of a watch stream.
public enum WatchEvent<Object: Decodable & Sendable>: Sendable {
    case added(Object)
    case modified(Object)
    case deleted(Object)
    /// The server's progress mark: nothing changed, but the stream is at `resourceVersion`.
    case bookmark(resourceVersion: String)
    /// The server ended the watch with a Status (410 Gone when the version is too old).
    case error(Status)
}

/// Decodes a watch line in one pass: `type` decides how `object` is decoded (a BOOKMARK's
/// object is a stub and an ERROR's a Status, neither of which would decode as `Object`).
struct WatchLine<Object: Decodable & Sendable>: Decodable {
    let event: WatchEvent<Object>

    private enum CodingKeys: String, CodingKey { case type, object }
    private struct Stub: Decodable {
        struct Meta: Decodable { var resourceVersion: String? }
        var metadata: Meta?
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let type = try container.decode(String.self, forKey: .type)
        switch type {
        case "ADDED": event = .added(try container.decode(Object.self, forKey: .object))
        case "MODIFIED": event = .modified(try container.decode(Object.self, forKey: .object))
        case "DELETED": event = .deleted(try container.decode(Object.self, forKey: .object))
        case "BOOKMARK":
            let stub = try container.decode(Stub.self, forKey: .object)
            event = .bookmark(resourceVersion: stub.metadata?.resourceVersion ?? "")
        case "ERROR": event = .error(try container.decode(Status.self, forKey: .object))
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .type, in: container, debugDescription: "unknown watch event type \(type)")
        }
    }
}
