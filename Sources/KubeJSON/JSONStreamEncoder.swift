/// Encodes any `Encodable` straight into JSON text, members in the order the value encodes
/// them, with no tree of values in between: the command frames and request bodies on the
/// per-event paths.
///
/// Why not ``JSONValueEncoder`` then ``JSONWriter``: building the `JSONValue` tree (a box per
/// member, a dictionary per object, each key hashed) and walking it again cost the watcher about
/// 1.4 M instructions per run (callgrind, `scripts/bench-instructions.sh`), more than deciding.
///
/// It writes what ``JSONValueEncoder`` writes (`nil` optionals left out with `encodeIfPresent`,
/// a whole double as an integer, an Encodable that writes nothing as `{}`), except the order of
/// members, which is the encoding order (dictionaries: their iteration order). `codingPath` is
/// always empty. A value whose encoding writes into a container after a later sibling container
/// was opened (no synthesized conformance does) cannot be streamed: ``encode(_:)`` then falls
/// back to the tree, so every value is encoded either way.
public enum JSONStreamEncoder {
    /// `value` as compact JSON text.
    public static func encode(_ value: some Encodable) throws -> [UInt8] {
        var writer = JSONWriter()
        try encode(value, into: &writer)
        return writer.bytes
    }

    /// Appends `value`'s JSON text to `writer`.
    public static func encode(_ value: some Encodable, into writer: inout JSONWriter) throws {
        let stream = Stream(writer: writer)
        writer = JSONWriter(capacity: 0)  // the stream owns the bytes meanwhile: no copy on append
        defer { writer = stream.writer }
        let start = stream.writer.bytes.count
        do {
            try stream.value(value, level: 0)
            stream.close(deeperThan: 0)
        } catch is OutOfOrder {
            stream.writer.bytes.removeSubrange(start...)
            stream.writer.value(try JSONValueEncoder.encode(value), sortedKeys: false)
        }
    }
}

/// A container was written to after it was closed (see ``JSONStreamEncoder``).
private struct OutOfOrder: Error {}

/// The text being written and the containers open in it, innermost last.
private final class Stream {
    var writer: JSONWriter
    /// Each open container: its nesting level (the encoder's value it belongs to), whether it is
    /// an object, how many members or elements it has, and its identity.
    var open: [(level: Int, isObject: Bool, count: Int, id: Int)] = []
    private var nextID = 0

    init(writer: JSONWriter) { self.writer = writer }

    /// A new container identity.
    func makeID() -> Int {
        nextID += 1
        return nextID
    }

    /// Closes every container opened deeper than `level` (a nested container whose parent writes again).
    func close(deeperThan level: Int) {
        while let last = open.last, last.level > level {
            writer.bytes.append(last.isObject ? UInt8(ascii: "}") : UInt8(ascii: "]"))
            open.removeLast()
        }
    }

    /// Makes the container `id` at `level` the innermost one and counts one more member or
    /// element in it, writing the separator; throws when it was closed already.
    func enter(_ id: Int, level: Int) throws {
        close(deeperThan: level)
        guard let last = open.last, last.id == id else { throw OutOfOrder() }
        if last.count > 0 { writer.bytes.append(UInt8(ascii: ",")) }
        open[open.count - 1].count += 1
    }

    /// Opens a container for the value at `level` (whose slot must be empty), or returns the one
    /// already open there for the same value (an encoder asked twice, as `CommandAction` does).
    func container(slot: Slot, isObject: Bool) throws -> Int {
        if let id = slot.container {
            guard let entry = open.last(where: { $0.id == id }), entry.isObject == isObject else { throw OutOfOrder() }
            return id
        }
        guard !slot.written else { throw OutOfOrder() }
        close(deeperThan: slot.level - 1)
        let id = makeID()
        writer.bytes.append(isObject ? UInt8(ascii: "{") : UInt8(ascii: "["))
        open.append((slot.level, isObject, 0, id))
        slot.container = id
        slot.written = true
        return id
    }

    /// Writes `value` into a fresh slot at `level`; `{}` when it wrote nothing.
    func value(_ value: some Encodable, level: Int) throws {
        if writeLeaf(value) { return }
        let slot = Slot(level: level)
        try value.encode(to: StreamEncoder(stream: self, slot: slot))
        if !slot.written { writer.raw("{}") }
        close(deeperThan: level - 1)
    }

    /// Writes `value` when it is a leaf (a string, number, boolean or JSON value): true then.
    /// Compared by type identity, not cast: a cast is a runtime call per member.
    func writeLeaf<T: Encodable>(_ value: T) -> Bool {
        switch ObjectIdentifier(T.self) {
        case ObjectIdentifier(String.self): writer.string(unsafeBitCast(value, to: String.self))
        case ObjectIdentifier(Int.self): writer.int(Int64(unsafeBitCast(value, to: Int.self)))
        case ObjectIdentifier(Int64.self): writer.int(unsafeBitCast(value, to: Int64.self))
        case ObjectIdentifier(Int32.self): writer.int(Int64(unsafeBitCast(value, to: Int32.self)))
        case ObjectIdentifier(Bool.self): writer.bool(unsafeBitCast(value, to: Bool.self))
        case ObjectIdentifier(Double.self): writer.double(unsafeBitCast(value, to: Double.self))
        case ObjectIdentifier(JSONValue.self): writer.value(unsafeBitCast(value, to: JSONValue.self), sortedKeys: false)
        case ObjectIdentifier(JSONText.self): writer.text(unsafeBitCast(value, to: JSONText.self))
        default: return false
        }
        return true
    }

    func unsigned(_ value: UInt64) {
        if value <= UInt64(Int64.max) { writer.int(Int64(value)) } else { writer.double(Double(value)) }
    }
}

/// One value's place in the text: its nesting level, and the container opened for it, if any.
private final class Slot {
    let level: Int
    var container: Int?
    var written = false

    init(level: Int) { self.level = level }
}

private struct StreamEncoder: Encoder {
    let stream: Stream
    let slot: Slot
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let id = try? stream.container(slot: slot, isObject: true)
        return KeyedEncodingContainer(StreamKeyed<Key>(stream: stream, id: id, level: slot.level))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let id = try? stream.container(slot: slot, isObject: false)
        return StreamUnkeyed(stream: stream, id: id, level: slot.level)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { StreamSingle(stream: stream, slot: slot) }
}

/// An object's members. `id` nil: the container could not be opened in order (every write throws).
private struct StreamKeyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let stream: Stream
    let id: Int?
    let level: Int
    var codingPath: [any CodingKey] { [] }

    /// Writes the member's name and `:`.
    private func member(_ key: Key) throws {
        guard let id else { throw OutOfOrder() }
        try stream.enter(id, level: level)
        stream.writer.string(key.stringValue)
        stream.writer.bytes.append(UInt8(ascii: ":"))
    }

    mutating func encodeNil(forKey key: Key) throws {
        try member(key)
        stream.writer.raw("null")
    }
    mutating func encode(_ value: Bool, forKey key: Key) throws {
        try member(key)
        stream.writer.bool(value)
    }
    mutating func encode(_ value: String, forKey key: Key) throws {
        try member(key)
        stream.writer.string(value)
    }
    mutating func encode(_ value: Double, forKey key: Key) throws {
        try member(key)
        stream.writer.double(value)
    }
    mutating func encode(_ value: Float, forKey key: Key) throws {
        try member(key)
        stream.writer.double(Double(value))
    }
    mutating func encode(_ value: Int, forKey key: Key) throws {
        try member(key)
        stream.writer.int(Int64(value))
    }
    mutating func encode(_ value: Int8, forKey key: Key) throws {
        try member(key)
        stream.writer.int(Int64(value))
    }
    mutating func encode(_ value: Int16, forKey key: Key) throws {
        try member(key)
        stream.writer.int(Int64(value))
    }
    mutating func encode(_ value: Int32, forKey key: Key) throws {
        try member(key)
        stream.writer.int(Int64(value))
    }
    mutating func encode(_ value: Int64, forKey key: Key) throws {
        try member(key)
        stream.writer.int(value)
    }
    mutating func encode(_ value: UInt, forKey key: Key) throws {
        try member(key)
        stream.unsigned(UInt64(value))
    }
    mutating func encode(_ value: UInt8, forKey key: Key) throws {
        try member(key)
        stream.unsigned(UInt64(value))
    }
    mutating func encode(_ value: UInt16, forKey key: Key) throws {
        try member(key)
        stream.unsigned(UInt64(value))
    }
    mutating func encode(_ value: UInt32, forKey key: Key) throws {
        try member(key)
        stream.unsigned(UInt64(value))
    }
    mutating func encode(_ value: UInt64, forKey key: Key) throws {
        try member(key)
        stream.unsigned(value)
    }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try member(key)
        try stream.value(value, level: level + 1)
    }

    mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws {
        guard let value else { return }
        try encode(value, forKey: key)
    }

    mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws {
        guard let value else { return }
        try encode(value, forKey: key)
    }

    mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws {
        guard let value else { return }
        try encode(value, forKey: key)
    }

    mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws {
        guard let value else { return }
        try encode(value, forKey: key)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey>
    {
        let slot = Slot(level: level + 1)
        let id = (try? member(key)).flatMap { try? stream.container(slot: slot, isObject: true) }
        return KeyedEncodingContainer(StreamKeyed<NestedKey>(stream: stream, id: id, level: level + 1))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let slot = Slot(level: level + 1)
        let id = (try? member(key)).flatMap { try? stream.container(slot: slot, isObject: false) }
        return StreamUnkeyed(stream: stream, id: id, level: level + 1)
    }

    mutating func superEncoder() -> any Encoder { Unstreamable() }
    mutating func superEncoder(forKey key: Key) -> any Encoder { Unstreamable() }
}

/// An array's elements.
private struct StreamUnkeyed: UnkeyedEncodingContainer {
    let stream: Stream
    let id: Int?
    let level: Int
    var count = 0
    var codingPath: [any CodingKey] { [] }

    init(stream: Stream, id: Int?, level: Int) {
        self.stream = stream
        self.id = id
        self.level = level
    }

    private mutating func element() throws {
        guard let id else { throw OutOfOrder() }
        try stream.enter(id, level: level)
        count += 1
    }

    mutating func encodeNil() throws {
        try element()
        stream.writer.raw("null")
    }
    mutating func encode(_ value: Bool) throws {
        try element()
        stream.writer.bool(value)
    }
    mutating func encode(_ value: String) throws {
        try element()
        stream.writer.string(value)
    }
    mutating func encode(_ value: Double) throws {
        try element()
        stream.writer.double(value)
    }
    mutating func encode(_ value: Int) throws {
        try element()
        stream.writer.int(Int64(value))
    }
    mutating func encode(_ value: Int64) throws {
        try element()
        stream.writer.int(value)
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        try element()
        try stream.value(value, level: level + 1)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<
        NestedKey
    > {
        let slot = Slot(level: level + 1)
        let id = (try? element()).flatMap { try? stream.container(slot: slot, isObject: true) }
        return KeyedEncodingContainer(StreamKeyed<NestedKey>(stream: stream, id: id, level: level + 1))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let slot = Slot(level: level + 1)
        let id = (try? element()).flatMap { try? stream.container(slot: slot, isObject: false) }
        return StreamUnkeyed(stream: stream, id: id, level: level + 1)
    }

    mutating func superEncoder() -> any Encoder { Unstreamable() }
}

/// A value written whole (an enum's raw value, a wrapper's wrapped value).
private struct StreamSingle: SingleValueEncodingContainer {
    let stream: Stream
    let slot: Slot
    var codingPath: [any CodingKey] { [] }

    /// Claims the slot: a single value is written once, into a slot nothing was written to.
    private func claim() throws {
        guard !slot.written else { throw OutOfOrder() }
        stream.close(deeperThan: slot.level - 1)
        slot.written = true
    }

    mutating func encodeNil() throws {
        try claim()
        stream.writer.raw("null")
    }
    mutating func encode(_ value: Bool) throws {
        try claim()
        stream.writer.bool(value)
    }
    mutating func encode(_ value: String) throws {
        try claim()
        stream.writer.string(value)
    }
    mutating func encode(_ value: Double) throws {
        try claim()
        stream.writer.double(value)
    }
    mutating func encode(_ value: Float) throws {
        try claim()
        stream.writer.double(Double(value))
    }
    mutating func encode(_ value: Int) throws {
        try claim()
        stream.writer.int(Int64(value))
    }
    mutating func encode(_ value: Int8) throws {
        try claim()
        stream.writer.int(Int64(value))
    }
    mutating func encode(_ value: Int16) throws {
        try claim()
        stream.writer.int(Int64(value))
    }
    mutating func encode(_ value: Int32) throws {
        try claim()
        stream.writer.int(Int64(value))
    }
    mutating func encode(_ value: Int64) throws {
        try claim()
        stream.writer.int(value)
    }
    mutating func encode(_ value: UInt) throws {
        try claim()
        stream.unsigned(UInt64(value))
    }
    mutating func encode(_ value: UInt8) throws {
        try claim()
        stream.unsigned(UInt64(value))
    }
    mutating func encode(_ value: UInt16) throws {
        try claim()
        stream.unsigned(UInt64(value))
    }
    mutating func encode(_ value: UInt32) throws {
        try claim()
        stream.unsigned(UInt64(value))
    }
    mutating func encode(_ value: UInt64) throws {
        try claim()
        stream.unsigned(value)
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        if stream.writeLeafIfFree(value, slot: slot) { return }
        try claimForNested()
        try value.encode(to: StreamEncoder(stream: stream, slot: slot))
    }

    /// A nested Encodable writes into this same slot (it opens its container there).
    private func claimForNested() throws {
        guard !slot.written else { throw OutOfOrder() }
    }
}

extension Stream {
    /// A leaf written into `slot` (nothing written there yet): true then.
    fileprivate func writeLeafIfFree<T: Encodable>(_ value: T, slot: Slot) -> Bool {
        guard !slot.written else { return false }
        close(deeperThan: slot.level - 1)
        guard writeLeaf(value) else { return false }
        slot.written = true
        return true
    }
}

/// `superEncoder` (class inheritance) is not streamed: every use falls back to the tree.
private struct Unstreamable: Encoder {
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(StreamKeyed<Key>(stream: Stream(writer: JSONWriter()), id: nil, level: 0))
    }
    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        StreamUnkeyed(stream: Stream(writer: JSONWriter()), id: nil, level: 0)
    }
    func singleValueContainer() -> any SingleValueEncodingContainer {
        let slot = Slot(level: 0)
        slot.written = true
        return StreamSingle(stream: Stream(writer: JSONWriter()), slot: slot)
    }
}
