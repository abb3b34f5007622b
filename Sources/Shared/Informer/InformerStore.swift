/// What an informer tells its handlers.
public enum InformerNotification<Object: Sendable>: Sendable {
    case added(Object)
    case updated(old: Object, new: Object)
    case deleted(Object)
}

/// The informer's cache, keyed by namespace/name, and the pure rules that turn a list or a
/// watch event into notifications. Kept apart from the driver so tables can test them.
///
/// Objects are held in boxes: a model struct can be large inline (an OMJob is over 1 KB of
/// optionals), and a dictionary's spare capacity would otherwise cost that much per empty slot.
public struct InformerStore<Object: KubernetesObject>: Sendable {
    private final class Box: Sendable {
        let object: Object
        init(_ object: Object) { self.object = object }
    }

    private var boxes: [ObjectKey: Box] = [:]

    public init() {}

    public subscript(key: ObjectKey) -> Object? { boxes[key]?.object }
    public var count: Int { boxes.count }
    public var keys: [ObjectKey] { Array(boxes.keys) }
    /// Every cached object, in no particular order.
    public var objects: [Object] { boxes.values.map(\.object) }

    /// Replaces the contents with a fresh list and returns the difference: adds for new keys,
    /// updates for changed versions, and deletions for keys the list no longer has (the
    /// deletions a watch missed while it was away, e.g. before a 410).
    public mutating func replace(with items: [Object]) -> [InformerNotification<Object>] {
        var fresh: [ObjectKey: Box] = [:]
        fresh.reserveCapacity(items.count)
        var notifications: [InformerNotification<Object>] = []
        for item in items {
            let key = item.metadata.key
            fresh[key] = Box(item)
            if let old = boxes[key]?.object {
                if old.metadata.resourceVersion != item.metadata.resourceVersion {
                    notifications.append(.updated(old: old, new: item))
                }
            } else {
                notifications.append(.added(item))
            }
        }
        let gone = boxes.keys.filter { fresh[$0] == nil }.sorted()
        notifications += gone.map { .deleted(boxes[$0]!.object) }
        boxes = fresh
        return notifications
    }

    /// Applies one watch event. Returns nil for a repeat of the version already stored
    /// (a replay must not reach the handlers twice) and for the deletion of an unknown key.
    public mutating func apply(_ event: WatchEvent<Object>) -> InformerNotification<Object>? {
        switch event {
        case .added(let object), .modified(let object):
            let key = object.metadata.key
            guard let old = boxes.updateValue(Box(object), forKey: key)?.object else { return .added(object) }
            return old.metadata.resourceVersion == object.metadata.resourceVersion
                ? nil : .updated(old: old, new: object)
        case .deleted(let object):
            return boxes.removeValue(forKey: object.metadata.key).map { _ in .deleted(object) }
        case .bookmark, .error:
            return nil
        }
    }
}
