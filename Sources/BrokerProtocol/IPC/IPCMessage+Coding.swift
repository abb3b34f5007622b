import Foundation
import KubeJSON

/// Why a frame's payload is not a message; closes the connection like a ``FrameError``.
public enum MessageError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The payload is not one JSON object.
    case invalidJSON
    /// The envelope's `v` is not a version this build speaks.
    case unsupportedVersion(Int64)
    /// The `type` is missing or not one of ours.
    case unknownType(String)
    /// A field the type requires is missing or has the wrong JSON type.
    case badField(type: String, field: String)

    public var description: String {
        switch self {
        case .invalidJSON: return "payload is not a JSON object"
        case .unsupportedVersion(let v): return "unsupported protocol version \(v)"
        case .unknownType(let t): return "unknown message type \"\(t)\""
        case .badField(let t, let f): return "message \"\(t)\" has a missing or invalid field \"\(f)\""
        }
    }
}

extension IPCMessage {
    /// The protocol version this build writes and accepts (a missing `v` is read as 1 for netcat users).
    public static let protocolVersion: Int64 = 1

    /// Decodes one frame payload.
    public init(payload: [UInt8]) throws(MessageError) {
        let value: JSONValue
        do {
            value = try JSONValue(parsing: payload)
        } catch {
            throw .invalidJSON
        }
        guard case .object = value else { throw .invalidJSON }
        try self.init(envelope: value)
    }

    /// Encodes to a compact JSON payload (not yet framed).
    public func payload() -> [UInt8] {
        // Sorted keys: equal messages are equal bytes.
        envelope().jsonBytes(sortedKeys: true)
    }

    /// Encodes and frames, ready for the socket.
    public func frame() -> [UInt8] { FrameCodec.encode(payload()) }

    /// The message's `type` on the wire.
    public var typeName: String {
        switch self {
        case .hello: return "hello"
        case .welcome: return "welcome"
        case .ready: return "ready"
        case .conditions: return "conditions"
        case .heartbeat: return "heartbeat"
        case .command: return "command"
        case .result: return "result"
        case .metrics: return "metrics"
        case .logLevel: return "log-level"
        case .shutdown: return "shutdown"
        case .leadership: return "leadership"
        case .ctl: return "ctl"
        case .ctlReply: return "ctl-reply"
        case .error: return "error"
        }
    }
}
