/// The wire frame of docs/architecture.md#broker-protocol: ASCII decimal payload length, `\n`, the payload, `\n`.
///
/// A decimal length (not a binary one, as in swift-nio-extras) lets a human type frames
/// into `nc -U` by hand; the trailing `\n` makes a session readable in a terminal.
public enum FrameCodec {
    /// The largest payload accepted: 1 MiB keeps one bad peer from exhausting memory.
    public static let maxPayloadBytes = 1 << 20
    /// At most 7 digits: enough for 1 MiB (7 digits), and a bound on how long we read a header.
    public static let maxLengthDigits = 7

    /// Frames `payload` (already compact JSON) for the wire.
    public static func encode(_ payload: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(payload.count + 10)
        out.append(contentsOf: Array(String(payload.count).utf8))
        out.append(newline)
        out.append(contentsOf: payload)
        out.append(newline)
        return out
    }

    static let newline = UInt8(ascii: "\n")
}

/// Why a byte stream is not a valid sequence of frames; any of these closes the connection.
public enum FrameError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A byte other than a digit or `\n` appeared in the length header.
    case nonDigitInLength(UInt8)
    /// The length started with `0` followed by more digits (`007`): one spelling per length.
    case leadingZero
    /// The header was `\n` alone.
    case emptyLength
    /// More than ``FrameCodec/maxLengthDigits`` digits.
    case tooManyDigits
    /// The length exceeds ``FrameCodec/maxPayloadBytes``.
    case overCap(Int)
    /// The byte after the payload was not `\n`.
    case missingTrailingNewline(UInt8)

    public var description: String {
        switch self {
        case .nonDigitInLength(let b): return "non-digit byte \(b) in frame length"
        case .leadingZero: return "frame length has a leading zero"
        case .emptyLength: return "empty frame length"
        case .tooManyDigits: return "frame length has more than \(FrameCodec.maxLengthDigits) digits"
        case .overCap(let n): return "frame length \(n) exceeds \(FrameCodec.maxPayloadBytes) bytes"
        case .missingTrailingNewline(let b): return "frame payload not followed by newline (got byte \(b))"
        }
    }
}
