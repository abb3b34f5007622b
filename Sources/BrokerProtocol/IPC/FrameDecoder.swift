/// A streaming frame decoder: bytes go in as they arrive from `read`, whole payloads come out.
///
/// Frames may be split or joined arbitrarily across reads. After the first error the decoder
/// stays failed: a stream that lost its framing is never resynchronised (docs/architecture.md#broker-protocol),
/// because guessing where the next frame starts could turn payload bytes into commands.
public struct FrameDecoder: Sendable {
    private enum State: Sendable {
        case length(value: Int, digits: Int)
        case payload(remaining: Int)
        case trailer
        case failed(FrameError)
    }

    private var state: State = .length(value: 0, digits: 0)
    private var payload: [UInt8] = []
    private var ready: [[UInt8]] = []

    public init() {}

    /// Consumes `bytes`; returns every payload completed by them, in order.
    ///
    /// Throws the framing error (and keeps throwing it on later calls) once the stream is invalid.
    /// Payloads completed before the bad byte in the same call are lost with the connection, which
    /// is closed anyway.
    public mutating func feed(_ bytes: UnsafeRawBufferPointer) throws(FrameError) -> [[UInt8]] {
        if case .failed(let error) = state { throw error }
        var index = 0
        while index < bytes.count {
            switch state {
            case .length(let value, let digits):
                try consumeLengthByte(bytes[index], value: value, digits: digits)
                index += 1
            case .payload(let remaining):
                let take = Swift.min(bytes.count - index, remaining)
                payload.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[index..<index + take]))
                index += take
                state = take == remaining ? .trailer : .payload(remaining: remaining - take)
            case .trailer:
                let byte = bytes[index]
                guard byte == FrameCodec.newline else { throw fail(.missingTrailingNewline(byte)) }
                ready.append(payload)
                payload = []
                state = .length(value: 0, digits: 0)
                index += 1
            case .failed(let error):
                throw error
            }
        }
        defer { ready = [] }
        return ready
    }

    /// Consumes bytes from any collection (tests, the benchmark client); the socket path passes
    /// its read buffer to the overload above, whose loop is not generic (nor specialised per module).
    public mutating func feed<Bytes: Collection>(_ bytes: Bytes) throws(FrameError) -> [[UInt8]]
    where Bytes.Element == UInt8 {
        let copy = Array(bytes)
        var outcome: Result<[[UInt8]], FrameError> = .success([])
        copy.withUnsafeBytes { raw in outcome = Result { () throws(FrameError) in try feed(raw) } }
        return try outcome.get()
    }

    /// True when the decoder holds part of a frame: an EOF now means a truncated frame.
    public var isMidFrame: Bool {
        if case .length(_, 0) = state { return false }
        return true
    }

    private mutating func consumeLengthByte(_ byte: UInt8, value: Int, digits: Int) throws(FrameError) {
        if byte == FrameCodec.newline {
            guard digits > 0 else { throw fail(.emptyLength) }
            payload.reserveCapacity(value)
            state = value == 0 ? .trailer : .payload(remaining: value)
            return
        }
        guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { throw fail(.nonDigitInLength(byte)) }
        if digits == 1, value == 0 { throw fail(.leadingZero) }
        guard digits < FrameCodec.maxLengthDigits else { throw fail(.tooManyDigits) }
        let next = value * 10 + Int(byte - UInt8(ascii: "0"))
        guard next <= FrameCodec.maxPayloadBytes else { throw fail(.overCap(next)) }
        state = .length(value: next, digits: digits + 1)
    }

    private mutating func fail(_ error: FrameError) -> FrameError {
        state = .failed(error)
        payload = []
        ready = []
        return error
    }
}
