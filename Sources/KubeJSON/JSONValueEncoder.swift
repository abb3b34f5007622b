/// Encodes any `Encodable` straight into a ``JSONValue``, for values that go out as JSON
/// (command frames, patch bodies) without Foundation's encoder and the decoder pass that
/// `JSONValue`'s own Codable conformance would add.
///
/// It writes what Foundation's `JSONEncoder` writes with its default strategies for the types
/// the API models hold (strings, integers, booleans, doubles, optionals, arrays, dictionaries
/// keyed by strings, nested Encodables): `nil` optionals are left out with `encodeIfPresent`,
/// as Foundation leaves them out, and a whole double is an integer, as it reads back.
public enum JSONValueEncoder {
    /// `value` as a JSON value.
    public static func encode(_ value: some Encodable) throws -> JSONValue {
        if let json = value as? JSONValue { return json }
        if let text = value as? JSONText { return text.value }
        let encoder = ValueEncoder(codingPath: [])
        try value.encode(to: encoder)
        return encoder.storage.value ?? .object([:])
    }

    /// `value` as compact JSON text (members in sorted key order unless `sortedKeys` is false).
    public static func encodeBytes(_ value: some Encodable, sortedKeys: Bool = true) throws -> [UInt8] {
        try encode(value).jsonBytes(sortedKeys: sortedKeys)
    }
}

/// Where one encoder's value is built: a box, because containers outlive the calls that make them.
private final class Slot {
    enum Content {
        case empty
        case value(JSONValue)
        case object(ObjectBox)
        case array(ArrayBox)
    }

    var content: Content = .empty

    var value: JSONValue? {
        switch content {
        case .empty: return nil
        case .value(let v): return v
        case .object(let box): return box.value
        case .array(let box): return box.value
        }
    }
}

private final class ObjectBox {
    var members: [(String, Slot)] = []
    var value: JSONValue {
        var object: [String: JSONValue] = [:]
        object.reserveCapacity(members.count)
        for (key, slot) in members { if let v = slot.value { object[key] = v } }
        return .object(object)
    }

    func slot(_ key: String) -> Slot {
        let slot = Slot()
        members.append((key, slot))
        return slot
    }
}

private final class ArrayBox {
    var elements: [Slot] = []
    var value: JSONValue { .array(elements.map { $0.value ?? .null }) }

    func slot() -> Slot {
        let slot = Slot()
        elements.append(slot)
        return slot
    }
}

private struct ValueEncoder: Encoder {
    let storage: Slot
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(codingPath: [any CodingKey], storage: Slot = Slot()) {
        self.codingPath = codingPath
        self.storage = storage
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let box: ObjectBox
        if case .object(let existing) = storage.content {
            box = existing
        } else {
            box = ObjectBox()
            storage.content = .object(box)
        }
        return KeyedEncodingContainer(KeyedContainer<Key>(box: box, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let box: ArrayBox
        if case .array(let existing) = storage.content {
            box = existing
        } else {
            box = ArrayBox()
            storage.content = .array(box)
        }
        return UnkeyedContainer(box: box, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleContainer(slot: storage, codingPath: codingPath)
    }
}

/// A double as Foundation's encoder and decoder pass would leave it: whole values written
/// without a fraction read back as integers.
private func number(_ value: Double) -> JSONValue {
    if value.rounded() == value, abs(value) < 9_007_199_254_740_992 { return .int(Int64(value)) }
    return .double(value)
}

/// The JSON value of a leaf, or nil when `value` is not a leaf (then it encodes itself).
private func leaf(_ value: some Encodable) -> JSONValue? {
    switch value {
    case let v as String: return .string(v)
    case let v as Int: return .int(Int64(v))
    case let v as Int64: return .int(v)
    case let v as Int32: return .int(Int64(v))
    case let v as Bool: return .bool(v)
    case let v as Double: return number(v)
    case let v as JSONValue: return v
    case let v as JSONText: return v.value
    default: return nil
    }
}

private func encodeNested(_ value: some Encodable, into slot: Slot, codingPath: [any CodingKey]) throws {
    if let leaf = leaf(value) {
        slot.content = .value(leaf)
        return
    }
    try value.encode(to: ValueEncoder(codingPath: codingPath, storage: slot))
    if case .empty = slot.content { slot.content = .object(ObjectBox()) }  // an Encodable that wrote nothing: {}
}

private struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let box: ObjectBox
    let codingPath: [any CodingKey]

    mutating func encodeNil(forKey key: Key) throws { box.slot(key.stringValue).content = .value(.null) }
    mutating func encode(_ value: Bool, forKey key: Key) throws {
        box.slot(key.stringValue).content = .value(.bool(value))
    }
    mutating func encode(_ value: String, forKey key: Key) throws {
        box.slot(key.stringValue).content = .value(.string(value))
    }
    mutating func encode(_ value: Double, forKey key: Key) throws {
        box.slot(key.stringValue).content = .value(number(value))
    }
    mutating func encode(_ value: Float, forKey key: Key) throws {
        box.slot(key.stringValue).content = .value(number(Double(value)))
    }
    mutating func encode(_ value: Int, forKey key: Key) throws {
        box.slot(key.stringValue).content = .value(.int(Int64(value)))
    }
    mutating func encode(_ value: Int8, forKey key: Key) throws {
        box.slot(key.stringValue).content = .value(.int(Int64(value)))
    }
    mutating func encode(_ value: Int16, forKey key: Key) throws {
        box.slot(key.stringValue).content = .value(.int(Int64(value)))
    }
    mutating func encode(_ value: Int32, forKey key: Key) throws {
        box.slot(key.stringValue).content = .value(.int(Int64(value)))
    }
    mutating func encode(_ value: Int64, forKey key: Key) throws {
        box.slot(key.stringValue).content = .value(.int(value))
    }
    mutating func encode(_ value: UInt, forKey key: Key) throws { try encodeUnsigned(UInt64(value), key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { try encodeUnsigned(UInt64(value), key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { try encodeUnsigned(UInt64(value), key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { try encodeUnsigned(UInt64(value), key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { try encodeUnsigned(value, key) }

    private mutating func encodeUnsigned(_ value: UInt64, _ key: Key) throws {
        box.slot(key.stringValue).content = .value(
            value <= UInt64(Int64.max) ? .int(Int64(value)) : .double(Double(value)))
    }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try encodeNested(value, into: box.slot(key.stringValue), codingPath: codingPath + [key])
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey>
    {
        let nested = ObjectBox()
        box.slot(key.stringValue).content = .object(nested)
        return KeyedEncodingContainer(KeyedContainer<NestedKey>(box: nested, codingPath: codingPath + [key]))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let nested = ArrayBox()
        box.slot(key.stringValue).content = .array(nested)
        return UnkeyedContainer(box: nested, codingPath: codingPath + [key])
    }

    mutating func superEncoder() -> any Encoder { ValueEncoder(codingPath: codingPath, storage: box.slot("super")) }
    mutating func superEncoder(forKey key: Key) -> any Encoder {
        ValueEncoder(codingPath: codingPath + [key], storage: box.slot(key.stringValue))
    }
}

private struct IndexKey: CodingKey {
    var intValue: Int?
    var stringValue: String { String(intValue ?? 0) }
    init(_ index: Int) { intValue = index }
    init?(stringValue: String) { nil }
    init?(intValue: Int) { self.intValue = intValue }
}

private struct UnkeyedContainer: UnkeyedEncodingContainer {
    let box: ArrayBox
    let codingPath: [any CodingKey]
    var count: Int { box.elements.count }

    mutating func encodeNil() throws { box.slot().content = .value(.null) }
    mutating func encode(_ value: Bool) throws { box.slot().content = .value(.bool(value)) }
    mutating func encode(_ value: String) throws { box.slot().content = .value(.string(value)) }
    mutating func encode(_ value: Double) throws { box.slot().content = .value(number(value)) }
    mutating func encode(_ value: Int) throws { box.slot().content = .value(.int(Int64(value))) }
    mutating func encode(_ value: Int64) throws { box.slot().content = .value(.int(value)) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        try encodeNested(value, into: box.slot(), codingPath: codingPath + [IndexKey(count)])
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<
        NestedKey
    > {
        let nested = ObjectBox()
        box.slot().content = .object(nested)
        return KeyedEncodingContainer(
            KeyedContainer<NestedKey>(box: nested, codingPath: codingPath + [IndexKey(count - 1)]))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let nested = ArrayBox()
        box.slot().content = .array(nested)
        return UnkeyedContainer(box: nested, codingPath: codingPath + [IndexKey(count - 1)])
    }

    mutating func superEncoder() -> any Encoder { ValueEncoder(codingPath: codingPath, storage: box.slot()) }
}

private struct SingleContainer: SingleValueEncodingContainer {
    let slot: Slot
    let codingPath: [any CodingKey]

    mutating func encodeNil() throws { slot.content = .value(.null) }
    mutating func encode(_ value: Bool) throws { slot.content = .value(.bool(value)) }
    mutating func encode(_ value: String) throws { slot.content = .value(.string(value)) }
    mutating func encode(_ value: Double) throws { slot.content = .value(number(value)) }
    mutating func encode(_ value: Float) throws { slot.content = .value(number(Double(value))) }
    mutating func encode(_ value: Int) throws { slot.content = .value(.int(Int64(value))) }
    mutating func encode(_ value: Int8) throws { slot.content = .value(.int(Int64(value))) }
    mutating func encode(_ value: Int16) throws { slot.content = .value(.int(Int64(value))) }
    mutating func encode(_ value: Int32) throws { slot.content = .value(.int(Int64(value))) }
    mutating func encode(_ value: Int64) throws { slot.content = .value(.int(value)) }
    mutating func encode(_ value: UInt) throws { slot.content = .value(.int(Int64(value))) }
    mutating func encode(_ value: UInt8) throws { slot.content = .value(.int(Int64(value))) }
    mutating func encode(_ value: UInt16) throws { slot.content = .value(.int(Int64(value))) }
    mutating func encode(_ value: UInt32) throws { slot.content = .value(.int(Int64(value))) }
    mutating func encode(_ value: UInt64) throws {
        slot.content = .value(value <= UInt64(Int64.max) ? .int(Int64(value)) : .double(Double(value)))
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        try encodeNested(value, into: slot, codingPath: codingPath)
    }
}
