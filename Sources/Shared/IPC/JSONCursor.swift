/// A position in a JSON text (RFC 8259) that checks values byte by byte and skips them, for
/// ``RoutingScanner``. Every method returns false or nil on anything it does not accept; the
/// caller then gives up on the whole payload, so a partial advance never matters.
struct JSONCursor {
    let bytes: UnsafeBufferPointer<UInt8>
    private(set) var index = 0
    /// A byte of 0x80 or above appeared in a string; the caller validates the UTF-8.
    private(set) var sawNonASCII = false

    init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    var atEnd: Bool { index == bytes.count }

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    func peek(_ ascii: Unicode.Scalar) -> Bool { index < bytes.count && bytes[index] == UInt8(ascii: ascii) }

    mutating func take(_ ascii: Unicode.Scalar) -> Bool {
        guard peek(ascii) else { return false }
        index += 1
        return true
    }

    mutating func literal(_ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard bytes.count - index >= count else { return false }
        for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] { return false }
        index += count
        return true
    }

    /// The members of an object whose `{` was taken, through its `}`. `member` gets the name's
    /// bytes (nil when the name has escapes or non-ASCII bytes) and must read the value.
    mutating func members(_ member: (inout JSONCursor, Range<Int>?) -> Bool) -> Bool {
        skipWhitespace()
        if take("}") { return true }
        while true {
            skipWhitespace()
            guard let name = string() else { return false }
            skipWhitespace()
            guard take(":"), member(&self, name.plain ? name.content : nil) else { return false }
            skipWhitespace()
            if take("}") { return true }
            guard take(",") else { return false }
        }
    }

    /// Any value at nesting `depth`, checked and skipped.
    mutating func value(depth: Int) -> Bool {
        skipWhitespace()
        guard index < bytes.count, depth < RoutingScanner.maxDepth else { return false }
        switch bytes[index] {
        case UInt8(ascii: "{"):
            index += 1
            return members { cursor, _ in cursor.value(depth: depth + 1) }
        case UInt8(ascii: "["):
            index += 1
            return elements(depth: depth + 1)
        case UInt8(ascii: "\""): return string() != nil
        case UInt8(ascii: "t"): return literal("true")
        case UInt8(ascii: "f"): return literal("false")
        case UInt8(ascii: "n"): return literal("null")
        default: return number()
        }
    }

    private mutating func elements(depth: Int) -> Bool {
        skipWhitespace()
        if take("]") { return true }
        while true {
            guard value(depth: depth) else { return false }
            skipWhitespace()
            if take("]") { return true }
            guard take(",") else { return false }
        }
    }

    /// A string's content; `plain` when it has no escapes and only ASCII (its bytes are its text).
    mutating func string() -> (content: Range<Int>, plain: Bool)? {
        guard take("\"") else { return nil }
        let start = index
        var plain = true
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\""):
                index += 1
                return (start..<index - 1, plain)
            case UInt8(ascii: "\\"):
                plain = false
                guard escape() else { return nil }
            case 0..<0x20:
                return nil  // control characters must be escaped
            case 0x80...:
                plain = false
                sawNonASCII = true
                index += 1
            default:
                index += 1
            }
        }
        return nil
    }

    /// A plain string as text; nil for anything else (including strings with escapes).
    mutating func plainString() -> String? {
        guard let token = string(), token.plain else { return nil }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[token.content]), as: UTF8.self)
    }

    /// Digits only, no sign, no leading zero, at most 18 of them.
    mutating func plainInteger() -> Int64? {
        let start = index
        guard digits(), index - start <= 18, index - start == 1 || bytes[start] != UInt8(ascii: "0") else { return nil }
        return bytes[start..<index].reduce(0) { $0 * 10 + Int64($1 - UInt8(ascii: "0")) }
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?` with at most 18 digits. Exponents and longer numbers are
    /// valid JSON, but whether they fit a number type is the full decoder's call.
    private mutating func number() -> Bool {
        _ = take("-")
        let start = index
        guard digits(), index - start == 1 || bytes[start] != UInt8(ascii: "0") else { return false }
        var count = index - start
        if take(".") {
            let fraction = index
            guard digits() else { return false }
            count += index - fraction
        }
        return count <= 18 && !peek("e") && !peek("E")
    }

    private mutating func digits() -> Bool {
        let start = index
        while index < bytes.count, bytes[index] &- UInt8(ascii: "0") < 10 { index += 1 }
        return index > start
    }

    /// After `\`: one of `"\/bfnrt`, or `u` and four hex digits that are not a surrogate (a pair
    /// is valid JSON, but judging it is left to the full decoder).
    private mutating func escape() -> Bool {
        index += 1
        guard index < bytes.count else { return false }
        let letter = bytes[index]
        index += 1
        switch letter {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
            UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            return true
        case UInt8(ascii: "u"):
            guard bytes.count - index >= 4 else { return false }
            var scalar: UInt32 = 0
            for _ in 0..<4 {
                guard let digit = Self.hexValue(bytes[index]) else { return false }
                scalar = scalar << 4 | digit
                index += 1
            }
            return !(0xD800...0xDFFF).contains(scalar)
        default:
            return false
        }
    }

    private static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(byte - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }
}
