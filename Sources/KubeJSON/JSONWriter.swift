/// Writes compact JSON text straight into bytes: frames and request bodies on the per-event
/// paths are written with it instead of Foundation's `JSONEncoder`.
///
/// Strings are escaped as Foundation's encoder escapes them with `.withoutEscapingSlashes`
/// (`"`, `\`, and control characters; nothing else), so the bytes are the same.
public struct JSONWriter {
    /// The text so far.
    public var bytes: [UInt8]

    public init(capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Appends `text` as a JSON string.
    public mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            var runStart = 0
            for i in 0..<utf8.count {
                let byte = utf8[i]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<i]))
                runStart = i + 1
                bytes.append(UInt8(ascii: "\\"))
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(byte)
                case 0x08: bytes.append(UInt8(ascii: "b"))
                case 0x0C: bytes.append(UInt8(ascii: "f"))
                case 0x0A: bytes.append(UInt8(ascii: "n"))
                case 0x0D: bytes.append(UInt8(ascii: "r"))
                case 0x09: bytes.append(UInt8(ascii: "t"))
                default:
                    let hex: [UInt8] = Array("0123456789abcdef".utf8)
                    bytes.append(contentsOf: [
                        UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)],
                        hex[Int(byte & 0xF)],
                    ])
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<utf8.count]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Appends an integer.
    public mutating func int(_ value: Int64) {
        if value >= 0, value < 10 {
            bytes.append(UInt8(ascii: "0") + UInt8(value))
            return
        }
        bytes.append(contentsOf: String(value).utf8)
    }

    /// Appends a number: whole values below 2^53 without a fraction (as Foundation writes them);
    /// a value JSON cannot hold (NaN, ±∞) as null.
    public mutating func double(_ value: Double) {
        guard value.isFinite else { return raw("null") }
        if value.rounded() == value, abs(value) < 9_007_199_254_740_992 { return int(Int64(value)) }
        bytes.append(contentsOf: "\(value)".utf8)
    }

    /// Appends `true` or `false`.
    public mutating func bool(_ value: Bool) { raw(value ? "true" : "false") }

    /// Appends text verbatim (punctuation, `null`, an already-encoded value).
    public mutating func raw(_ text: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Appends an already-encoded JSON value verbatim.
    public mutating func raw(bytes encoded: some Sequence<UInt8>) { bytes.append(contentsOf: encoded) }

    /// Appends `value`; object members in sorted key order when `sortedKeys` (equal values
    /// are then equal bytes).
    ///
    /// Containers are written without recursion, the open ones on a stack on the heap, as
    /// ``JSONReader/readValue()`` reads them: any value it reads can be written back.
    public mutating func value(_ value: JSONValue, sortedKeys: Bool = true) {
        // The open containers, innermost last, each with the index of its next element or member.
        var open: [(container: OpenContainer, next: Int)] = []
        var pending: JSONValue? = value
        while true {
            if let value = pending {
                switch value {
                case .null: raw("null")
                case .bool(let b): bool(b)
                case .int(let i): int(i)
                case .double(let d): double(d)
                case .string(let s): string(s)
                case .array(let elements):
                    bytes.append(UInt8(ascii: "["))
                    open.append((.array(elements), 0))
                case .object(let members):
                    bytes.append(UInt8(ascii: "{"))
                    let list = sortedKeys ? members.sorted { $0.key < $1.key } : Array(members)
                    open.append((.object(list), 0))
                }
            }
            guard let (container, next) = open.popLast() else { return }
            switch container {
            case .array(let elements):
                guard next < elements.count else {
                    bytes.append(UInt8(ascii: "]"))
                    pending = nil
                    continue
                }
                if next > 0 { bytes.append(UInt8(ascii: ",")) }
                open.append((container, next + 1))
                pending = elements[next]
            case .object(let members):
                guard next < members.count else {
                    bytes.append(UInt8(ascii: "}"))
                    pending = nil
                    continue
                }
                if next > 0 { bytes.append(UInt8(ascii: ",")) }
                string(members[next].key)
                bytes.append(UInt8(ascii: ":"))
                open.append((container, next + 1))
                pending = members[next].value
            }
        }
    }
}

/// A container ``JSONWriter/value(_:sortedKeys:)`` is writing.
private enum OpenContainer {
    case array([JSONValue])
    /// The members in the order they are written.
    case object([(key: String, value: JSONValue)])
}

extension JSONValue {
    /// Parses one JSON text; whitespace only may follow it.
    public init(parsing bytes: some Collection<UInt8>, options: JSONReadingOptions = .strict) throws(JSONReadError) {
        self = try JSONReader.read(bytes, options: options) { reader throws(JSONReadError) in try reader.readValue() }
    }

    /// Compact JSON text; members in sorted key order unless `sortedKeys` is false.
    public func jsonBytes(sortedKeys: Bool = true) -> [UInt8] {
        var writer = JSONWriter()
        writer.value(self, sortedKeys: sortedKeys)
        return writer.bytes
    }
}
