/// One JSON value's text, checked but not taken apart: read from one document and written
/// into another as it is. A command frame's pod is kept so and POSTed by the executor; reading
/// it into its model and writing it back out was about half of the executor's instructions.
public struct JSONText: Hashable, Sendable {
    /// The value's UTF-8 text, without surrounding whitespace.
    public let bytes: [UInt8]

    /// Checks that `bytes` hold exactly one JSON value.
    public init(checking bytes: some Collection<UInt8>) throws(JSONReadError) {
        self = try JSONReader.read(bytes) { reader throws(JSONReadError) in try reader.readText() }
    }

    /// Text a reader has already checked.
    init(checked bytes: [UInt8]) { self.bytes = bytes }

    /// The value, parsed (the text was checked, so it parses).
    public var value: JSONValue { (try? JSONValue(parsing: bytes)) ?? .null }
}

extension JSONReader {
    /// The next value's text, checked and copied, not parsed.
    public mutating func readText() throws(JSONReadError) -> JSONText {
        text(of: try skipValueRange())
    }

    /// The text of a value this reader has stepped over (``skipValueRange()``, or a member read
    /// from its first byte to its last).
    public func text(of range: Range<Int>) -> JSONText {
        JSONText(checked: Array(UnsafeBufferPointer(rebasing: bytes[range])))
    }
}

extension JSONWriter {
    /// Appends the text as it is.
    public mutating func text(_ text: JSONText) { bytes.append(contentsOf: text.bytes) }
}

/// For `Codable` encoders and decoders (tools, tests) the text is its value.
extension JSONText: Codable {
    public init(from decoder: any Decoder) throws {
        self.init(checked: try JSONValue(from: decoder).jsonBytes())
    }

    public func encode(to encoder: any Encoder) throws { try value.encode(to: encoder) }
}
