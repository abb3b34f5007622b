import Foundation
import KubeJSON

/// The broker's fast path: it routes commands and results by `type`, `id` and `key` alone and
/// forwards their bytes unchanged, so it decodes only those fields into a typed struct and
/// never builds the payload as a `JSONValue` (whose generic decoding dominates at 10k/s).
extension IPCMessage {
    /// Decodes a payload; with `opaquePayloads`, commands and results carry `.null` as payload
    /// (the bytes are in ``DecodedMessage/payload``) and other messages decode in full.
    public init(payload: [UInt8], opaquePayloads: Bool) throws(MessageError) {
        guard opaquePayloads else { try self.init(payload: payload); return }
        let head: RoutingHead
        do {
            head = try IPCJSON.decoder.decode(RoutingHead.self, from: Data(payload))
        } catch {
            // Not a routing message, or not valid: the full decoder gives the precise error.
            try self.init(payload: payload)
            return
        }
        if let v = head.v, v != Self.protocolVersion { throw .unsupportedVersion(v) }
        switch head.type {
        case "command":
            guard let id = head.id else { throw .badField(type: head.type, field: "id") }
            guard let key = head.key else { throw .badField(type: head.type, field: "key.namespace") }
            self = .command(CommandEnvelope(id: id, key: key, payload: .null))
        case "result":
            guard let id = head.id else { throw .badField(type: head.type, field: "id") }
            self = .result(ResultEnvelope(id: id, payload: .null, error: head.error))
        default:
            try self.init(payload: payload)
        }
    }
}

/// The fields routing needs; everything else in the object is skipped by the decoder.
private struct RoutingHead: Decodable {
    var v: Int64?
    var type: String
    var id: String?
    var key: ObjectKey?
    var error: String?
}
