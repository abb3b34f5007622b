import Foundation
import KubeJSON
import Models

/// A command's frame written straight from its typed payload, and read straight back into one.
///
/// Why: a command carries a whole pod spec, and going through `JSONValue` on both ends cost
/// more than everything else the watcher and the executor do with it (the watcher encoded
/// struct → JSON → `JSONValue` → JSON; the executor decoded JSON → `JSONValue` → JSON →
/// struct). Now each end makes one pass; the broker forwards the bytes untouched as before.
/// The wire format is unchanged: the same `command` envelope, so `nc` and the full decoder
/// read these frames like any other.
public enum CommandFrame {
    /// The framed `command` message carrying `payload`.
    public static func encode(id: String, key: ObjectKey, payload: some Encodable) throws -> [UInt8] {
        let envelope: JSONValue = [
            "v": .int(IPCMessage.protocolVersion), "type": "command", "id": .string(id),
            "key": ["namespace": .string(key.namespace), "name": .string(key.name)],
            "payload": try JSONValueEncoder.encode(payload),
        ]
        return FrameCodec.encode(envelope.jsonBytes(sortedKeys: true))
    }

    /// The payload of a `command` frame's JSON (the frame's bytes between the length and the
    /// trailing newline), decoded as `Payload` in one pass.
    public static func decode<Payload: Decodable>(_ type: Payload.Type, from envelope: [UInt8]) throws -> Payload {
        try IPCJSON.decoder.decode(Incoming<Payload>.self, from: Data(envelope)).payload
    }

    /// The one member an executor reads from the envelope (routing fields come from the head).
    private struct Incoming<Payload: Decodable>: Decodable {
        var payload: Payload
    }
}
