extension Event {
    /// An Event the operator records about `object`, named deterministically after what it is
    /// about, so a repeated decision asks for the same Event and gets `409 AlreadyExists` instead
    /// of a duplicate: `<object name>.<16 hex digits of (uid, reason, subject)>`.
    ///
    /// `subject` tells occurrences of one reason on one object apart (an attempt, a slot, a
    /// finalizer); empty when the reason happens once per object.
    public static func recorded(
        on object: ObjectReference, reason: String, type: String, about subject: String,
        message: String, timestamp: String
    ) -> Event {
        let identity = "\(object.uid ?? "")/\(reason)/\(subject)"
        let base = String((object.name ?? (object.kind ?? "object").lowercased()).prefix(200))
        var event = Event(
            metadata: ObjectMeta(name: "\(base).\(StableHash.hex16(identity))", namespace: object.namespace),
            involvedObject: object, reason: reason, message: String(message.prefix(1024)), type: type)
        event.source = EventSource(component: OperatorLabels.component)
        event.reportingComponent = OperatorLabels.component
        event.reportingInstance = OperatorLabels.component
        event.firstTimestamp = timestamp
        event.lastTimestamp = timestamp
        event.count = 1
        event.action = reason
        return event
    }
}

/// FNV-1a 64-bit as hex: stable across processes and versions (Swift's `Hasher` is seeded per
/// process) with no crypto library, for names that must come out the same every time.
public enum StableHash {
    /// The first 8 hex digits of the FNV-1a hash of `value`.
    public static func hex8(_ value: String) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in value.utf8 {
            h ^= UInt64(byte)
            h = h &* 0x0000_0100_0000_01b3
        }
        let hex = String(h, radix: 16)
        return String((String(repeating: "0", count: 16 - hex.count) + hex).prefix(8))
    }

    /// 16 hex digits: the 8 of `value` and the 8 of `value + "#"`, so two hashes must collide at once.
    public static func hex16(_ value: String) -> String { hex8(value) + hex8(value + "#") }
}
