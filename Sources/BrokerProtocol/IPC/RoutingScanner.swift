import KubeJSON
import Models

/// The routing fields of an envelope (`v`, `type`, `id`, `key`, `error`), read in one pass that
/// also checks the whole payload is one well-formed JSON object, without building any value.
///
/// Read with KubeJSON's `JSONReader`, the same reader and options as the full decoder, so what
/// the scanner accepts the full decoder accepts: the payload's members are stepped over, not
/// built. Foundation's `JSONDecoder` mapped the whole document and went through `Codable` for
/// each field, 7–20 µs per frame (docs/supervisor.md). The scanner reads only what it is sure
/// of: a routing field that is not a plain ASCII string without escapes, an escaped member name
/// at the top level, a repeated routing field, or a `v` that is not plain digits gives nil, and
/// the caller falls back to the full decoder, which decides and names the error.
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
        let head = try? JSONReader.read(payload) { reader throws(JSONReadError) -> Head? in
            guard try reader.peekKind() == .object else { return nil }
            var head = Head()
            var seen = RoutingField.Set()
            var sure = true
            try reader.readObject { reader, name throws(JSONReadError) in
                guard let field = RoutingField(name) else {
                    // An escaped name could spell a routing field: the full decoder judges it.
                    if !name.plain, RoutingField(name.string) != nil { sure = false }
                    return try reader.skipValue()
                }
                guard seen.insert(field), try read(field, from: &reader, into: &head) else {
                    sure = false
                    return try reader.skipValue()
                }
            }
            return sure ? head : nil
        }
        return head ?? nil
    }

    /// The value of `field` into `head`; false when it is not one the scanner is sure of (the
    /// value is then not read).
    private static func read(_ field: RoutingField, from reader: inout JSONReader, into head: inout Head)
        throws(JSONReadError) -> Bool
    {
        if try reader.takeNull() { return true }
        switch field {
        case .version: head.version = try plainInteger(&reader)
        case .key: head.key = try objectKey(&reader)
        case .type: head.type = try plainString(&reader)
        case .id: head.id = try plainString(&reader)
        case .error: head.error = try plainString(&reader)
        }
        return head.field(field)
    }

    /// A string without escapes or non-ASCII bytes, read; nil (nothing read) for anything else.
    private static func plainString(_ reader: inout JSONReader) throws(JSONReadError) -> String? {
        guard try reader.peekKind() == .string else { return nil }
        var probe = reader
        let range = try probe.skipValueRange()
        let text = UnsafeBufferPointer(rebasing: reader.bytes[range.lowerBound + 1..<range.upperBound - 1])
        guard !text.contains(where: { $0 == UInt8(ascii: "\\") || $0 >= 0x80 }) else { return nil }
        reader = probe
        return String(decoding: text, as: UTF8.self)
    }

    /// Plain digits (no sign, fraction or exponent), at most 18 of them; nil (nothing read) otherwise.
    private static func plainInteger(_ reader: inout JSONReader) throws(JSONReadError) -> Int64? {
        guard try reader.peekKind() == .number else { return nil }
        var probe = reader
        let range = try probe.skipValueRange()
        let digits = UnsafeBufferPointer(rebasing: reader.bytes[range])
        guard digits.count <= 18, digits.allSatisfy({ $0 &- UInt8(ascii: "0") < 10 }) else { return nil }
        reader = probe
        return digits.reduce(0) { $0 * 10 + Int64($1 - UInt8(ascii: "0")) }
    }

    /// `{"namespace": "…", "name": "…", …}` with plain strings and nothing repeated; else nil.
    private static func objectKey(_ reader: inout JSONReader) throws(JSONReadError) -> ObjectKey? {
        guard try reader.peekKind() == .object else { return nil }
        var namespace: String?
        var name: String?
        var sure = true
        try reader.readObject { reader, member throws(JSONReadError) in
            if sure, member == "namespace", namespace == nil, let text = try plainString(&reader) {
                namespace = text
            } else if sure, member == "name", name == nil, let text = try plainString(&reader) {
                name = text
            } else {
                if !member.plain || member == "namespace" || member == "name" { sure = false }
                try reader.skipValue()
            }
        }
        guard sure, let namespace, let name else { return nil }
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

    /// The field a plain member name spells; nil for any other name, and for escaped ones.
    init?(_ name: JSONKey) {
        // At most five bytes long: the name's String is a small one, not an allocation.
        guard name.plain, name.raw.count <= 5 else { return nil }
        self.init(name.string)
    }

    /// The field `name` spells, if any.
    init?(_ name: String) {
        switch name {
        case "v": self = .version
        case "id": self = .id
        case "key": self = .key
        case "type": self = .type
        case "error": self = .error
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
