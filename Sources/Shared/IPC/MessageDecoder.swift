/// Why a connection's input was rejected: a framing or a message error. Either closes it.
public enum ProtocolError: Error, Equatable, Sendable, CustomStringConvertible {
    case frame(FrameError)
    case message(MessageError)
    /// The peer closed the connection in the middle of a frame.
    case truncated

    public var description: String {
        switch self {
        case .frame(let e): return e.description
        case .message(let e): return e.description
        case .truncated: return "connection closed in the middle of a frame"
        }
    }
}

/// A message with the exact payload bytes it came in, so the broker can forward a command
/// or a result without re-encoding it.
public struct DecodedMessage: Sendable {
    public var message: IPCMessage
    public var payload: [UInt8]
}

/// Frames plus message decoding: the one reader every connection (broker side and worker side) uses.
public struct MessageDecoder: Sendable {
    private var frames = FrameDecoder()
    private let opaquePayloads: Bool

    /// With `opaquePayloads` (the broker), command and result payloads are not decoded.
    public init(opaquePayloads: Bool = false) {
        self.opaquePayloads = opaquePayloads
    }

    /// Consumes bytes just read (a connection's read buffer); returns the complete messages they finish.
    public mutating func feed(_ bytes: UnsafeRawBufferPointer) throws(ProtocolError) -> [DecodedMessage] {
        let payloads: [[UInt8]]
        do { payloads = try frames.feed(bytes) } catch { throw .frame(error) }
        return try messages(payloads)
    }

    /// Consumes bytes from any collection; returns the complete messages they finish.
    public mutating func feed<Bytes: Collection>(_ bytes: Bytes) throws(ProtocolError) -> [DecodedMessage]
    where Bytes.Element == UInt8 {
        let payloads: [[UInt8]]
        do { payloads = try frames.feed(bytes) } catch { throw .frame(error) }
        return try messages(payloads)
    }

    private func messages(_ payloads: [[UInt8]]) throws(ProtocolError) -> [DecodedMessage] {
        var messages: [DecodedMessage] = []
        messages.reserveCapacity(payloads.count)
        for payload in payloads {
            do {
                messages.append(
                    DecodedMessage(
                        message: try IPCMessage(payload: payload, opaquePayloads: opaquePayloads), payload: payload))
            } catch {
                throw .message(error)
            }
        }
        return messages
    }

    /// Call at EOF: a partial frame left over is an error worth logging.
    public func finish() throws(ProtocolError) {
        if frames.isMidFrame { throw .truncated }
    }
}
