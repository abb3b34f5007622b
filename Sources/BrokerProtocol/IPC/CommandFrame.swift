import KubeJSON
import Models

/// A command's frame written straight from its typed payload, and read straight back into one.
///
/// Why: a command carries a whole pod spec, and going through `JSONValue` on both ends cost
/// more than everything else the watcher and the executor do with it (the watcher encoded
/// struct → JSON → `JSONValue` → JSON; the executor decoded JSON → `JSONValue` → JSON →
/// struct). Now the watcher makes one pass, the executor reads the frame's bytes with
/// KubeJSON's reader and keeps the pod as text (`PodBody`); the broker forwards the bytes
/// untouched as before.
/// The wire format is unchanged: the same `command` envelope, so `nc` and the full decoder
/// read these frames like any other.
public enum CommandFrame {
    /// The framed `command` message carrying `payload`.
    public static func encode(id: String, key: ObjectKey, payload: some Encodable) throws -> [UInt8] {
        // The envelope's members in sorted order, as `JSONValue` would write them; the payload streamed.
        var writer = JSONWriter(capacity: 1024)
        writer.raw("{\"id\":")
        writer.string(id)
        writer.raw(",\"key\":{\"name\":")
        writer.string(key.name)
        writer.raw(",\"namespace\":")
        writer.string(key.namespace)
        writer.raw("},\"payload\":")
        try JSONStreamEncoder.encode(payload, into: &writer)
        writer.raw(",\"type\":\"command\",\"v\":")
        writer.int(Int64(IPCMessage.protocolVersion))
        writer.raw("}")
        return FrameCodec.encode(writer.bytes)
    }

    /// The payload of a `command` frame's JSON (the frame's bytes between the length and the
    /// trailing newline), read as `Payload` straight from the bytes. An error names the member
    /// (`payload.action.podType: unknown value "sidecar" at byte 98`).
    public static func decode<Payload: JSONReadable>(_ type: Payload.Type, from envelope: [UInt8])
        throws(JSONReadError) -> Payload
    {
        try JSONReader.read(envelope) { reader throws(JSONReadError) in
            var payload: Payload?
            try reader.readObject { reader, key throws(JSONReadError) in
                guard key == "payload" else { return try reader.skipValue() }
                payload = try reader.member("payload") { reader throws(JSONReadError) in try Payload(reading: &reader) }
            }
            return try payload.required("payload", reader)
        }
    }
}
