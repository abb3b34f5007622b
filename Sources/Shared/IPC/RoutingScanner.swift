/// The routing fields of an envelope (`v`, `type`, `id`, `key`, `error`), read in one pass that
/// also checks the whole payload is one well-formed JSON object, without building any value.
///
/// Written by hand because no listed library does this: Foundation's `JSONDecoder` maps the
/// whole document and then goes through `Codable` for each field, 7–20 µs per frame measured
/// (docs/supervisor.md), most of the broker's CPU at 10,000 commands/s. The scanner accepts
/// only what it is sure of: anything unusual (a routing field that is not a plain ASCII string
/// without escapes, an escaped member name at the top level, a repeated routing field, a lone
/// surrogate escape, a number with an exponent or many digits, deep nesting, a `v` that is not
/// plain digits) gives nil, and the caller falls back to the full decoder, which decides and
/// names the error. So it never accepts a payload that the workers' decoder would reject.
struct RoutingScanner {
    /// The routing fields found at the top level; nil for absent ones.
    struct Head: Equatable {
        var version: Int64?
        var type: String?
        var id: String?
        var key: ObjectKey?
        var error: String?
    }

    /// Scans `payload`; nil means "not sure, ask the full decoder".
    static func scan(_ payload: [UInt8]) -> Head? {
        payload.withUnsafeBufferPointer { bytes in
            var scanner = RoutingScanner(bytes: bytes)
            guard let head = scanner.document() else { return nil }
            // Non-ASCII bytes inside strings were skipped unchecked: validate the UTF-8 once, here.
            if scanner.sawNonASCII, String(validating: bytes, as: UTF8.self) == nil { return nil }
            return head
        }
    }

    private var cursor: JSONCursor
    private var sawNonASCII: Bool { cursor.sawNonASCII }
    /// Deeper documents go to the full decoder, whose own limit then applies.
    static let maxDepth = 100

    private init(bytes: UnsafeBufferPointer<UInt8>) { cursor = JSONCursor(bytes: bytes) }

    private mutating func document() -> Head? {
        cursor.skipWhitespace()
        guard cursor.take("{") else { return nil }
        var head = Head()
        var seen = RoutingField.Set()
        let ok = cursor.members { cursor, name in
            guard let name else { return false }  // escaped: could spell a routing field
            guard let field = RoutingField(name, in: cursor.bytes) else { return cursor.value(depth: 1) }
            guard seen.insert(field) else { return false }
            return Self.read(field, from: &cursor, into: &head)
        }
        cursor.skipWhitespace()
        return ok && cursor.atEnd ? head : nil
    }

    private static func read(_ field: RoutingField, from cursor: inout JSONCursor, into head: inout Head) -> Bool {
        cursor.skipWhitespace()
        if cursor.peek("n") { return cursor.literal("null") }
        switch field {
        case .version: head.version = cursor.plainInteger()
        case .key: head.key = objectKey(&cursor)
        case .type: head.type = cursor.plainString()
        case .id: head.id = cursor.plainString()
        case .error: head.error = cursor.plainString()
        }
        return head.field(field)
    }

    /// `{"namespace": "…", "name": "…", …}` with plain strings and nothing repeated; else nil.
    private static func objectKey(_ cursor: inout JSONCursor) -> ObjectKey? {
        var namespace: String?
        var name: String?
        let ok =
            cursor.take("{")
            && cursor.members { cursor, member in
                guard let member else { return false }
                cursor.skipWhitespace()
                if cursor.bytes[member].elementsEqual("namespace".utf8) {
                    guard namespace == nil else { return false }
                    namespace = cursor.plainString()
                    return namespace != nil
                }
                if cursor.bytes[member].elementsEqual("name".utf8) {
                    guard name == nil else { return false }
                    name = cursor.plainString()
                    return name != nil
                }
                return cursor.value(depth: 2)
            }
        guard ok, let namespace, let name else { return nil }
        return ObjectKey(namespace: namespace, name: name)
    }
}

/// The envelope members the broker routes by.
enum RoutingField: UInt8 {
    case version = 1
    case type = 2
    case id = 4
    case key = 8
    case error = 16

    init?(_ name: Range<Int>, in bytes: UnsafeBufferPointer<UInt8>) {
        let text = bytes[name]
        switch text.count {
        case 1 where text.elementsEqual("v".utf8): self = .version
        case 2 where text.elementsEqual("id".utf8): self = .id
        case 3 where text.elementsEqual("key".utf8): self = .key
        case 4 where text.elementsEqual("type".utf8): self = .type
        case 5 where text.elementsEqual("error".utf8): self = .error
        default: return nil
        }
    }

    /// Which fields were seen, as bits.
    struct Set {
        private var bits: UInt8 = 0
        /// False when `field` was already there.
        mutating func insert(_ field: RoutingField) -> Bool {
            defer { bits |= field.rawValue }
            return bits & field.rawValue == 0
        }
    }
}

extension RoutingScanner.Head {
    /// True when `field` holds a value.
    fileprivate func field(_ field: RoutingField) -> Bool {
        switch field {
        case .version: return version != nil
        case .type: return type != nil
        case .id: return id != nil
        case .key: return key != nil
        case .error: return error != nil
        }
    }
}
