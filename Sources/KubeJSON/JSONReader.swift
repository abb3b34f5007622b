/// Why a JSON text could not be read: where, in which member, and what was expected there.
public struct JSONReadError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Byte offset in the text.
    public var offset: Int
    /// What was wrong there.
    public var message: String
    /// The members, outermost first, whose value held the error (empty when a reader did not
    /// name them; see ``JSONReader/member(_:_:)``).
    public var path: [String]

    public init(offset: Int, message: String, path: [String] = []) {
        self.offset = offset
        self.message = message
        self.path = path
    }

    public var description: String {
        path.isEmpty ? "\(message) at byte \(offset)" : "\(path.joined(separator: ".")): \(message) at byte \(offset)"
    }
}

/// What a ``JSONReader`` accepts beyond well-formed text of bounded depth.
public struct JSONReadingOptions: Sendable, Equatable {
    /// The deepest nesting of objects and arrays read; deeper text is refused, so that hostile
    /// input cannot exhaust the stack.
    public var maxDepth: Int
    /// Invalid UTF-8 and lone `\u` surrogates in a string read as U+FFFD instead of being
    /// refused.
    public var replacesInvalidUnicode: Bool

    public init(maxDepth: Int, replacesInvalidUnicode: Bool) {
        self.maxDepth = maxDepth
        self.replacesInvalidUnicode = replacesInvalidUnicode
    }

    /// What the operator reads from an API server, which writes only well-formed text: nesting
    /// up to ``JSONReader/maxDepth``, strings valid Unicode.
    public static let strict = JSONReadingOptions(maxDepth: JSONReader.maxDepth, replacesInvalidUnicode: false)

    /// What Go's encoding/json reads, and so a real kube-apiserver from its clients: nesting up
    /// to 10,000 (its scanner's limit), invalid UTF-8 and lone surrogates as U+FFFD. kubesim
    /// reads request bodies so.
    public static let goCompatible = JSONReadingOptions(maxDepth: 10_000, replacesInvalidUnicode: true)
}

/// Reads JSON text (RFC 8259) straight from its bytes, value by value, so a decoder can keep
/// the members it needs and skip the rest without allocating them: the per-event paths (watch
/// events, frames) decode with it instead of Foundation's coders, whose keyed containers and
/// intermediate maps cost most of a watch event's CPU.
///
/// The bytes must outlive the reader; ``read(_:options:_:)`` scopes that.
public struct JSONReader {
    /// The whole text.
    public let bytes: UnsafeBufferPointer<UInt8>
    /// The next byte to read.
    public var index: Int
    /// What is accepted beyond well-formed text of bounded depth.
    public let options: JSONReadingOptions
    /// The nesting bound of ``JSONReadingOptions/strict``.
    public static let maxDepth = 256
    private var depth = 0

    public init(_ bytes: UnsafeBufferPointer<UInt8>, index: Int = 0, options: JSONReadingOptions = .strict) {
        self.bytes = bytes
        self.index = index
        self.options = options
    }

    /// Reads one JSON text from `bytes` with `body`, then checks that only whitespace follows.
    public static func read<T>(
        _ bytes: some Collection<UInt8>, options: JSONReadingOptions = .strict,
        _ body: (inout JSONReader) throws(JSONReadError) -> T
    ) throws(JSONReadError) -> T {
        let result: Result<T, JSONReadError>? = bytes.withContiguousStorageIfAvailable { buffer in
            Result { () throws(JSONReadError) -> T in try readWhole(buffer, options, body) }
        }
        if let result { return try result.get() }
        let copy = Array(bytes)
        return try copy.withUnsafeBufferPointer { buffer throws(JSONReadError) -> T in
            try readWhole(buffer, options, body)
        }
    }

    private static func readWhole<T>(
        _ buffer: UnsafeBufferPointer<UInt8>, _ options: JSONReadingOptions,
        _ body: (inout JSONReader) throws(JSONReadError) -> T
    ) throws(JSONReadError) -> T {
        var reader = JSONReader(buffer, options: options)
        let value = try body(&reader)
        reader.skipWhitespace()
        guard reader.index == buffer.count else { throw reader.error("unexpected text after the value") }
        return value
    }

    /// The kinds of JSON value.
    public enum Kind: Sendable { case object, array, string, number, bool, null }

    /// An error at the current position.
    public func error(_ message: String) -> JSONReadError { JSONReadError(offset: index, message: message) }

    public mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    /// The kind of the next value (whitespace skipped), without reading it.
    public mutating func peekKind() throws(JSONReadError) -> Kind {
        skipWhitespace()
        guard index < bytes.count else { throw error("unexpected end of text") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return .object
        case UInt8(ascii: "["): return .array
        case UInt8(ascii: "\""): return .string
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool
        case UInt8(ascii: "n"): return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number
        default: throw error("unexpected character")
        }
    }

    /// Takes a `null` if one is next; false (nothing read) otherwise.
    public mutating func takeNull() throws(JSONReadError) -> Bool {
        guard try peekKind() == .null else { return false }
        try literal("null")
        return true
    }

    private mutating func literal(_ word: StaticString) throws(JSONReadError) {
        let count = word.utf8CodeUnitCount
        guard bytes.count - index >= count else { throw error("unexpected end of text") }
        for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] { throw error("invalid literal") }
        index += count
    }

    private mutating func expect(_ byte: UInt8, _ what: StaticString) throws(JSONReadError) {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == byte else { throw error("expected \(what)") }
        index += 1
    }

    private mutating func take(_ byte: UInt8) -> Bool {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    // MARK: containers

    /// Reads an object: `member` is called with each member's name and must read its value
    /// (``skipValue()`` for members it does not keep).
    public mutating func readObject(_ member: (inout JSONReader, JSONKey) throws(JSONReadError) -> Void)
        throws(JSONReadError)
    {
        try expect(UInt8(ascii: "{"), "an object")
        depth += 1
        guard depth <= options.maxDepth else { throw JSONReadError(offset: index - 1, message: "nesting too deep") }
        if !take(UInt8(ascii: "}")) {
            repeat {
                skipWhitespace()
                let key = try stringToken()
                try expect(UInt8(ascii: ":"), "':'")
                try member(&self, key)
            } while take(UInt8(ascii: ","))
            try expect(UInt8(ascii: "}"), "',' or '}'")
        }
        depth -= 1
    }

    /// Reads an array, calling `element` to read each element.
    public mutating func readArray(_ element: (inout JSONReader) throws(JSONReadError) -> Void) throws(JSONReadError) {
        try expect(UInt8(ascii: "["), "an array")
        depth += 1
        guard depth <= options.maxDepth else { throw JSONReadError(offset: index - 1, message: "nesting too deep") }
        if !take(UInt8(ascii: "]")) {
            repeat { try element(&self) } while take(UInt8(ascii: ","))
            try expect(UInt8(ascii: "]"), "',' or ']'")
        }
        depth -= 1
    }

    /// A value read by `body` (an object's reader), or nil for null.
    public mutating func readObjectOrNull<T>(_ body: (inout JSONReader) throws(JSONReadError) -> T)
        throws(JSONReadError) -> T?
    {
        if try takeNull() { return nil }
        return try body(&self)
    }

    /// An array's elements read by `element`; null reads as nil.
    public mutating func readArrayOrNull<T>(_ element: (inout JSONReader) throws(JSONReadError) -> T)
        throws(JSONReadError) -> [T]?
    {
        if try takeNull() { return nil }
        var result: [T] = []
        try readArray { reader throws(JSONReadError) in result.append(try element(&reader)) }
        return result
    }

    // MARK: scalars

    /// A string's text.
    public mutating func readString() throws(JSONReadError) -> String {
        skipWhitespace()
        return try stringToken().string
    }

    /// A string, or nil for null.
    public mutating func readStringOrNull() throws(JSONReadError) -> String? {
        if try takeNull() { return nil }
        return try readString()
    }

    /// `true` or `false`.
    public mutating func readBool() throws(JSONReadError) -> Bool {
        switch try peekKind() {
        case .bool:
            if bytes[index] == UInt8(ascii: "t") {
                try literal("true")
                return true
            }
            try literal("false")
            return false
        default: throw error("expected true or false")
        }
    }

    /// A boolean, or nil for null.
    public mutating func readBoolOrNull() throws(JSONReadError) -> Bool? {
        if try takeNull() { return nil }
        return try readBool()
    }

    /// A number that is a whole number within Int64 (`3`, also `3.0` and `3e2`).
    public mutating func readInt64() throws(JSONReadError) -> Int64 {
        guard try peekKind() == .number else { throw error("expected a number") }
        let start = index
        switch try number() {
        case .int(let value): return value
        case .double(let value) where value.rounded() == value && abs(value) < 9.2e18: return Int64(value)
        default:
            index = start
            throw error("expected a whole number within 64 bits")
        }
    }

    /// A whole number, or nil for null.
    public mutating func readInt64OrNull() throws(JSONReadError) -> Int64? {
        if try takeNull() { return nil }
        return try readInt64()
    }

    /// A whole number as Int, or nil for null.
    public mutating func readIntOrNull() throws(JSONReadError) -> Int? {
        if try takeNull() { return nil }
        return Int(try readInt64())
    }

    /// Any number as a Double.
    public mutating func readDouble() throws(JSONReadError) -> Double {
        guard try peekKind() == .number else { throw error("expected a number") }
        switch try number() {
        case .int(let value): return Double(value)
        case .double(let value): return value
        default: throw error("expected a number")
        }
    }

    /// An object of strings (labels, annotations), or nil for null; `keep` filters by name
    /// before the value is allocated.
    public mutating func readStringMapOrNull(keeping keep: (JSONKey) -> Bool = { _ in true }) throws(JSONReadError)
        -> [String: String]?
    {
        if try takeNull() { return nil }
        var map: [String: String] = [:]
        try readObject { reader, key throws(JSONReadError) in
            if keep(key) { map[key.string] = try reader.readString() } else { try reader.skipValue() }
        }
        return map
    }

    /// An array of strings, or nil for null.
    public mutating func readStringArrayOrNull() throws(JSONReadError) -> [String]? {
        try readArrayOrNull { reader throws(JSONReadError) in try reader.readString() }
    }

    /// Any value, or nil for null (an optional `JSONValue` member, as Codable reads it).
    public mutating func readValueOrNull() throws(JSONReadError) -> JSONValue? {
        if try takeNull() { return nil }
        return try readValue()
    }

    /// An object of any values (resource quantities), or nil for null.
    public mutating func readValueMapOrNull() throws(JSONReadError) -> [String: JSONValue]? {
        if try takeNull() { return nil }
        var map: [String: JSONValue] = [:]
        try readObject { reader, key throws(JSONReadError) in map[key.string] = try reader.readValue() }
        return map
    }

    // MARK: any value

    /// Checks the next value and steps over it, allocating nothing.
    ///
    /// Why not ``readObject(_:)`` with a member that skips: most of an event's members are
    /// skipped (a pod's spec, managedFields), and a call and a closure per member cost about as
    /// much as the bytes. One loop here, the open containers' kinds in a bit set; beyond its
    /// 64 levels the rest of the value is skipped member by member.
    public mutating func skipValue() throws(JSONReadError) {
        var objects: UInt64 = 0  // bit i: the container opened i-th (from 0) in this value is an object
        var open = 0
        while true {
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of text") }
            value: switch bytes[index] {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                guard open < 64 else {
                    try skipNested()
                    break value
                }
                let isObject = bytes[index] == UInt8(ascii: "{")
                try self.open()
                if take(isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                    depth -= 1
                    break value
                }
                if isObject {
                    objects |= 1 << UInt64(open)
                    try memberNameSkipped()
                } else {
                    objects &= ~(1 << UInt64(open))
                }
                open += 1
                continue
            case UInt8(ascii: "\""): _ = try stringToken()
            case UInt8(ascii: "t"): try literal("true")
            case UInt8(ascii: "f"): try literal("false")
            case UInt8(ascii: "n"): try literal("null")
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                _ = try number()  // a number out of range is refused, as reading refuses it
            default: throw error("unexpected character")
            }
            // A value ended: close the containers it ends, up to the next member or element.
            while open > 0 {
                let isObject = objects & (1 << UInt64(open - 1)) != 0
                if take(UInt8(ascii: ",")) {
                    if isObject { try memberNameSkipped() }
                    break
                }
                if isObject {
                    try expect(UInt8(ascii: "}"), "',' or '}'")
                } else {
                    try expect(UInt8(ascii: "]"), "',' or ']'")
                }
                depth -= 1
                open -= 1
            }
            if open == 0 { return }
        }
    }

    /// An object or array stepped over member by member (below ``skipValue()``'s 64 levels).
    private mutating func skipNested() throws(JSONReadError) {
        if bytes[index] == UInt8(ascii: "{") {
            try readObject { reader, _ throws(JSONReadError) in try reader.skipValue() }
        } else {
            try readArray { reader throws(JSONReadError) in try reader.skipValue() }
        }
    }

    /// A member's name, checked, and the `:` after it.
    private mutating func memberNameSkipped() throws(JSONReadError) {
        skipWhitespace()
        _ = try stringToken()
        try expect(UInt8(ascii: ":"), "':'")
    }

    /// Steps over the next value and returns its bytes' range (to be read later, once a sibling
    /// member that decides how has been read).
    public mutating func skipValueRange() throws(JSONReadError) -> Range<Int> {
        skipWhitespace()
        let start = index
        try skipValue()
        return start..<index
    }

    /// The next value as a ``JSONValue``.
    ///
    /// Read recursively (the faster way) down to ``recursionDepth`` levels and without
    /// recursion below that: a value nested as deep as ``JSONReadingOptions/goCompatible``
    /// allows would take several megabytes of a thread's stack read recursively (more than an
    /// event loop's 8 MiB in a debug build).
    public mutating func readValue() throws(JSONReadError) -> JSONValue {
        guard depth < Self.recursionDepth else { return try readValueOnTheHeap() }
        switch try peekKind() {
        case .object:
            var members: [String: JSONValue] = [:]
            try readObject { reader, key throws(JSONReadError) in members[key.string] = try reader.readValue() }
            return .object(members)
        case .array:
            var elements: [JSONValue] = []
            try readArray { reader throws(JSONReadError) in elements.append(try reader.readValue()) }
            return .array(elements)
        case .string: return .string(try stringToken().string)
        case .number: return try number()
        case .bool: return .bool(try readBool())
        case .null:
            try literal("null")
            return .null
        }
    }

    /// Containers nested deeper than this are read by ``readValue()`` without recursion;
    /// Kubernetes objects are about 10 levels deep.
    static let recursionDepth = 100

    /// ``readValue()`` with the open containers on a stack on the heap.
    private mutating func readValueOnTheHeap() throws(JSONReadError) -> JSONValue {
        // The open containers, innermost last: for each, whether it is an object; an object's
        // members so far and the name of the member being read; an array's elements so far.
        var isObject: [Bool] = []
        var objects: [[String: JSONValue]] = []
        var names: [String] = []
        var arrays: [[JSONValue]] = []
        while true {
            var value: JSONValue
            switch try peekKind() {
            case .object:
                try open()
                if take(UInt8(ascii: "}")) {
                    depth -= 1
                    value = .object([:])
                } else {
                    isObject.append(true)
                    objects.append([:])
                    names.append(try memberName())
                    continue
                }
            case .array:
                try open()
                if take(UInt8(ascii: "]")) {
                    depth -= 1
                    value = .array([])
                } else {
                    isObject.append(false)
                    arrays.append([])
                    continue
                }
            case .string: value = .string(try stringToken().string)
            case .number: value = try number()
            case .bool: value = .bool(try readBool())
            case .null:
                try literal("null")
                value = .null
            }
            // The value goes into the innermost open container; each container it completes
            // goes into the next one out.
            while let inObject = isObject.last {
                if inObject {
                    objects[objects.count - 1][names.removeLast()] = value
                    if take(UInt8(ascii: ",")) {
                        names.append(try memberName())
                        break
                    }
                    try expect(UInt8(ascii: "}"), "',' or '}'")
                    value = .object(objects.removeLast())
                } else {
                    arrays[arrays.count - 1].append(value)
                    if take(UInt8(ascii: ",")) { break }
                    try expect(UInt8(ascii: "]"), "',' or ']'")
                    value = .array(arrays.removeLast())
                }
                isObject.removeLast()
                depth -= 1
            }
            if isObject.isEmpty { return value }
        }
    }

    /// Steps over a container's opening bracket, within the nesting bound.
    private mutating func open() throws(JSONReadError) {
        index += 1
        depth += 1
        guard depth <= options.maxDepth else { throw JSONReadError(offset: index - 1, message: "nesting too deep") }
    }

    /// An object member's name and the `:` after it.
    private mutating func memberName() throws(JSONReadError) -> String {
        skipWhitespace()
        let name = try stringToken().string
        try expect(UInt8(ascii: ":"), "':'")
        return name
    }

    // MARK: tokens

    /// A string token at `index` (its opening quote), checked, its content not yet decoded.
    private mutating func stringToken() throws(JSONReadError) -> JSONKey {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw error("expected a string") }
        index += 1
        let start = index
        var plain = true
        var nonASCII = false
        while true {
            skipPlainBytes()
            guard index < bytes.count else { break }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                let raw = UnsafeBufferPointer(rebasing: bytes[start..<index - 1])
                if nonASCII, !options.replacesInvalidUnicode, !Self.isValidUTF8(raw) {
                    throw JSONReadError(offset: start, message: "invalid UTF-8 in a string")
                }
                return JSONKey(raw: raw, plain: plain)
            } else if byte == UInt8(ascii: "\\") {
                plain = false
                try escape()
            } else if byte >= 0x80 {
                nonASCII = true
                index += 1
            } else if byte < 0x20 {
                throw error("unescaped control character in a string")
            } else {
                index += 1
            }
        }
        throw JSONReadError(offset: start - 1, message: "unterminated string")
    }

    /// Steps over string bytes that need no attention (not `"`, `\\`, a control character or
    /// non-ASCII), eight at a time: strings are most of a Kubernetes object's bytes.
    private mutating func skipPlainBytes() {
        guard let base = bytes.baseAddress else { return }
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        while bytes.count - index >= 8 {
            let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
            let quote = word ^ (ones &* 0x22)
            let backslash = word ^ (ones &* 0x5C)
            // A byte is zero in `quote` or `backslash`, or below 0x20 in `word`, or has its high bit.
            let special =
                ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash) | ((word &- ones &* 0x20) & ~word)
                | word
            let flagged = special & highs
            if flagged != 0 {
                // The lowest flagged byte is the first special one (the borrows that may flag
                // bytes above it cannot flag bytes below): step to it, not byte by byte.
                index += flagged.trailingZeroBitCount >> 3
                return
            }
            index += 8
        }
    }

    /// After `\\`: one of `"\\/bfnrt`, or `u` and four hex digits; a surrogate must be a high
    /// one followed by an escaped low one (a lone half is no character), unless
    /// ``JSONReadingOptions/replacesInvalidUnicode`` (``JSONKey/string`` then reads it as U+FFFD).
    private mutating func escape() throws(JSONReadError) {
        guard index + 1 < bytes.count else { throw error("unterminated string") }
        let letter = bytes[index + 1]
        index += 2
        switch letter {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
            UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            return
        case UInt8(ascii: "u"):
            let unit = try hex4()
            if options.replacesInvalidUnicode { return }
            if (0xDC00...0xDFFF).contains(unit) { throw error("lone low surrogate") }
            guard (0xD800...0xDBFF).contains(unit) else { return }
            guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
            else {
                throw error("lone high surrogate")
            }
            index += 2
            guard (0xDC00...0xDFFF).contains(try hex4()) else { throw error("lone high surrogate") }
        default:
            throw error("invalid escape")
        }
    }

    private mutating func hex4() throws(JSONReadError) -> UInt32 {
        guard bytes.count - index >= 4 else { throw error("invalid \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[index]
            let digit: UInt32
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(c - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(c - UInt8(ascii: "A") + 10)
            default: throw error("invalid \\u escape")
            }
            value = value << 4 | digit
            index += 1
        }
        return value
    }

    /// Well-formed UTF-8 (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF).
    static func isValidUTF8(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        while i < b.count {
            let lead = b[i]
            if lead < 0x80 {
                i += 1
                continue
            }
            let count: Int
            var low: UInt8 = 0x80
            var high: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: count = 1
            case 0xE0:
                count = 2
                low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: count = 2
            case 0xED:
                count = 2
                high = 0x9F
            case 0xF0:
                count = 3
                low = 0x90
            case 0xF1...0xF3: count = 3
            case 0xF4:
                count = 3
                high = 0x8F
            default: return false
            }
            guard b.count - i > count else { return false }
            guard (low...high).contains(b[i + 1]) else { return false }
            for j in stride(from: 2, through: count, by: 1) {
                guard (0x80...0xBF).contains(b[i + j]) else { return false }
            }
            i += count + 1
        }
        return true
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`: `.int` when without fraction and
    /// exponent and within 64 bits, `.double` otherwise.
    private mutating func number() throws(JSONReadError) -> JSONValue {
        let start = index
        let negative = bytes[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        let digitsStart = index
        var magnitude: UInt64 = 0
        var overflow = false
        while index < bytes.count, bytes[index] &- UInt8(ascii: "0") < 10 {
            let (times10, o1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(UInt64(bytes[index] &- UInt8(ascii: "0")))
            overflow = overflow || o1 || o2
            magnitude = sum
            index += 1
        }
        guard index > digitsStart else { throw error("invalid number") }
        guard index - digitsStart == 1 || bytes[digitsStart] != UInt8(ascii: "0") else {
            throw error("leading zero in a number")
        }
        var integral = true
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            integral = false
            index += 1
            let fraction = index
            while index < bytes.count, bytes[index] &- UInt8(ascii: "0") < 10 { index += 1 }
            guard index > fraction else { throw error("invalid number") }
        }
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            integral = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index += 1
            }
            let exponent = index
            while index < bytes.count, bytes[index] &- UInt8(ascii: "0") < 10 { index += 1 }
            guard index > exponent else { throw error("invalid number") }
        }
        if integral, !overflow {
            if !negative, magnitude <= UInt64(Int64.max) { return .int(Int64(magnitude)) }
            if negative, magnitude <= UInt64(Int64.max) + 1 {
                return .int(magnitude == UInt64(Int64.max) + 1 ? .min : -Int64(magnitude))
            }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        guard let value = Double(text), value.isFinite else {
            throw JSONReadError(offset: start, message: "number out of range")
        }
        return .double(value)
    }
}

/// A type read straight from JSON bytes, keeping only the members it models.
public protocol JSONReadable {
    /// Reads one value (an object, for the API's types) at the reader's position.
    init(reading reader: inout JSONReader) throws(JSONReadError)
}

extension JSONReadable {
    /// Reads one JSON text holding this type.
    public init(jsonBytes bytes: some Collection<UInt8>) throws(JSONReadError) {
        self = try JSONReader.read(bytes) { reader throws(JSONReadError) in try Self(reading: &reader) }
    }
}

/// A string token of a JSON text (an object's member name, or any string before decoding):
/// compared against names without allocating when it has no escapes.
public struct JSONKey {
    /// The bytes between the quotes, escapes not yet decoded.
    public let raw: UnsafeBufferPointer<UInt8>
    /// No escapes: `raw` is the text's UTF-8.
    public let plain: Bool

    /// True when the decoded text is `name`.
    public static func == (key: JSONKey, name: StaticString) -> Bool {
        guard key.plain else { return key.string == name.description }
        let count = name.utf8CodeUnitCount
        guard key.raw.count == count else { return false }
        return memcmp(key.raw.baseAddress!, name.utf8Start, count) == 0
    }

    /// True when the decoded text starts with `prefix`.
    public func hasPrefix(_ prefix: String) -> Bool {
        guard plain else { return string.hasPrefix(prefix) }
        var prefix = prefix
        return prefix.withUTF8 { p in
            p.count <= raw.count && (p.count == 0 || memcmp(raw.baseAddress!, p.baseAddress!, p.count) == 0)
        }
    }

    /// The decoded text.
    public var string: String {
        if plain { return String(decoding: raw, as: UTF8.self) }
        return Self.unescape(raw)
    }

    /// Decodes `\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r`, `\t` and `\uXXXX` (surrogate pairs
    /// joined; a lone surrogate becomes U+FFFD, as Go's encoder reads it).
    static func unescape(_ raw: UnsafeBufferPointer<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var i = 0
        func hex4(_ at: Int) -> UInt32? {
            guard at + 4 <= raw.count else { return nil }
            var value: UInt32 = 0
            for j in at..<at + 4 {
                let c = raw[j]
                let digit: UInt32
                switch c {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(c - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(c - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(c - UInt8(ascii: "A") + 10)
                default: return nil
                }
                value = value << 4 | digit
            }
            return value
        }
        while i < raw.count {
            let byte = raw[i]
            guard byte == UInt8(ascii: "\\"), i + 1 < raw.count else {
                out.append(byte)
                i += 1
                continue
            }
            let letter = raw[i + 1]
            i += 2
            switch letter {
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar: UInt32 = 0xFFFD
                if let high = hex4(i) {
                    i += 4
                    if (0xD800...0xDBFF).contains(high), i + 6 <= raw.count, raw[i] == UInt8(ascii: "\\"),
                        raw[i + 1] == UInt8(ascii: "u"), let low = hex4(i + 2), (0xDC00...0xDFFF).contains(low)
                    {
                        scalar = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
                        i += 6
                    } else if !(0xD800...0xDFFF).contains(high) {
                        scalar = high
                    }
                }
                out.append(contentsOf: String(Character(Unicode.Scalar(scalar) ?? "\u{FFFD}")).utf8)
            default: out.append(letter)  // `"`, `\`, `/`
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif
