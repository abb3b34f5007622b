import KubeJSON
import NIOCore

/// One event of a watch stream.
public struct WatchEvent: Sendable {
    /// ADDED, MODIFIED, DELETED, BOOKMARK or ERROR.
    public enum Kind: String, Sendable {
        case added = "ADDED"
        case modified = "MODIFIED"
        case deleted = "DELETED"
        case bookmark = "BOOKMARK"
        case error = "ERROR"
    }

    public var type: Kind
    public var object: JSONValue
    /// The global resourceVersion the event happened at (0 for ERROR).
    public var resourceVersion: Int64
    /// `{"type":…,"object":…}\n`, encoded once and shared (read-only) by every HTTP watcher.
    var line: ByteBuffer?

    public init(type: Kind, object: JSONValue, resourceVersion: Int64) {
        self.type = type
        self.object = object
        self.resourceVersion = resourceVersion
    }

    /// The JSON line a watch stream sends for this event.
    var encodedLine: ByteBuffer {
        if let line { return line }
        var writer = JSONWriter(capacity: 512)
        writer.raw(bytes: "{\"type\":\"\(type.rawValue)\",\"object\":".utf8)
        writer.value(object)
        writer.raw("}\n")
        return ByteBuffer(bytes: writer.bytes)
    }
}

/// A change recorded in the store's history: the new object and, for updates, the old one.
struct Change: Sendable {
    var type: WatchEvent.Kind
    var object: JSONValue
    var previous: JSONValue?
    var resourceVersion: Int64
}

/// The recent changes of one resource type, bounded; resuming before `compactedThrough` is 410.
struct ChangeHistory: Sendable {
    private(set) var changes: [Change] = []
    private var start = 0
    /// The newest resourceVersion that fell out of the window (0: nothing dropped yet).
    private(set) var compactedThrough: Int64 = 0

    mutating func append(_ change: Change, limit: Int) {
        changes.append(change)
        if changes.count - start > limit {
            compactedThrough = changes[start].resourceVersion
            start += 1
            // Reclaim the dropped prefix in batches so appends stay O(1) amortised.
            if start > 1024, start * 2 > changes.count {
                changes.removeFirst(start)
                start = 0
            }
        }
    }

    /// Changes after `resourceVersion`, or nil when some of them were already dropped.
    func since(_ resourceVersion: Int64) -> ArraySlice<Change>? {
        if resourceVersion < compactedThrough { return nil }
        let live = changes[start...]
        guard let first = live.firstIndex(where: { $0.resourceVersion > resourceVersion }) else { return [] }
        return live[first...]
    }
}
