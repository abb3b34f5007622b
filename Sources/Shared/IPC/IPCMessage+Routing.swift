import KubeJSON

/// The broker's fast path: it routes commands and results by `type`, `id` and `key` alone and
/// forwards their bytes unchanged, so it reads only those fields (``RoutingScanner``) and never
/// builds the payload as a `JSONValue`.
extension IPCMessage {
    /// Decodes a payload; with `opaquePayloads`, commands and results carry `.null` as payload
    /// (the bytes are in ``DecodedMessage/payload``) and other messages decode in full.
    public init(payload: [UInt8], opaquePayloads: Bool) throws(MessageError) {
        if opaquePayloads, let routed = Self.routed(payload) {
            self = routed
            return
        }
        // Every other message, and every payload the scanner is not sure of: the full decoder
        // accepts or names the error. The bytes forwarded are the ones received either way.
        try self.init(payload: payload)
        guard opaquePayloads else { return }
        switch self {
        case .command(var command):
            command.payload = .null
            self = .command(command)
        case .result(var result):
            result.payload = .null
            self = .result(result)
        default: break
        }
    }

    /// A well-formed command or result, from its routing fields; nil for anything else.
    private static func routed(_ payload: [UInt8]) -> IPCMessage? {
        guard let head = RoutingScanner.scan(payload), head.version ?? protocolVersion == protocolVersion,
            let id = head.id
        else { return nil }
        switch head.type {
        case "command":
            guard let key = head.key else { return nil }
            return .command(CommandEnvelope(id: id, key: key, payload: .null))
        case "result":
            return .result(ResultEnvelope(id: id, payload: .null, error: head.error))
        default:
            return nil
        }
    }
}
