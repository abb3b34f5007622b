import KubeJSON
import Models

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

extension WatchLine {
    /// Reads an ADDED, MODIFIED or DELETED line straight from its bytes; nil for the rare
    /// BOOKMARK and ERROR lines, which the Codable path decodes.
    static func read(_ line: some Collection<UInt8>, as type: any JSONReadable.Type) throws(JSONReadError)
        -> WatchEvent<Object>?
    {
        try JSONReader.read(line) { reader throws(JSONReadError) -> WatchEvent<Object>? in
            var kind: Kind?
            var object: Object?
            var objectRange: Range<Int>?
            try reader.readObject { reader, key throws(JSONReadError) in
                if key == "type" {
                    let name = try reader.readString()
                    kind = Kind(rawValue: name)
                    if kind == nil { kind = .other }
                } else if key == "object", let known = kind {
                    if known == .other { try reader.skipValue() } else { object = try Self.object(type, &reader) }
                } else if key == "object" {
                    objectRange = try reader.skipValueRange()  // before `type`: read once it is known
                } else {
                    try reader.skipValue()
                }
            }
            guard let kind else { throw reader.error("watch event without type") }
            if kind == .other { return nil }
            if object == nil, let objectRange {
                var inner = JSONReader(reader.bytes, index: objectRange.lowerBound)
                object = try Self.object(type, &inner)
            }
            guard let object else { throw reader.error("watch event without object") }
            switch kind {
            case .added: return .added(object)
            case .modified: return .modified(object)
            case .deleted: return .deleted(object)
            case .other: return nil
            }
        }
    }

    private enum Kind: String {
        case added = "ADDED"
        case modified = "MODIFIED"
        case deleted = "DELETED"
        case other
    }

    private static func object(_ type: any JSONReadable.Type, _ reader: inout JSONReader) throws(JSONReadError)
        -> Object
    {
        guard let object = try type.init(reading: &reader) as? Object else {
            throw reader.error("not a \(Object.self)")
        }
        return object
    }
}
