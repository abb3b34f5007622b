/// What an informer tells its handlers.
public enum InformerNotification<Object: Sendable>: Sendable {
    case added(Object)
    case updated(old: Object, new: Object)
    case deleted(Object)
}

/// The informer's cache, keyed by namespace/name, and the pure rules that turn a list or a
/// watch event into notifications. Kept apart from the driver so tables can test them.
public struct InformerStore<Object: KubernetesObject>: Sendable {
    public private(set) var objects: [ObjectKey: Object] = [:]

    public init() {}

    public subscript(key: ObjectKey) -> Object? { objects[key] }
    public var count: Int { objects.count }

    /// Replaces the contents with a fresh list and returns the difference: adds for new keys,
    /// updates for changed versions, and deletions for keys the list no longer has (the
    /// deletions a watch missed while it was away, e.g. before a 410).
    public mutating func replace(with items: [Object]) -> [InformerNotification<Object>] {
        var fresh: [ObjectKey: Object] = [:]
        fresh.reserveCapacity(items.count)
        var notifications: [InformerNotification<Object>] = []
        for item in items {
            let key = item.metadata.key
            fresh[key] = item
            if let old = objects[key] {
                if old.metadata.resourceVersion != item.metadata.resourceVersion { notifications.append(.updated(old: old, new: item)) }
            } else {
                notifications.append(.added(item))
            }
        }
        let gone = objects.keys.filter { fresh[$0] == nil }.sorted()
        notifications += gone.map { .deleted(objects[$0]!) }
        objects = fresh
        return notifications
    }

    /// Applies one watch event. Returns nil for a repeat of the version already stored
    /// (a replay must not reach the handlers twice) and for the deletion of an unknown key.
    public mutating func apply(_ event: WatchEvent<Object>) -> InformerNotification<Object>? {
        switch event {
        case .added(let object), .modified(let object):
            let key = object.metadata.key
            let old = objects.updateValue(object, forKey: key)
            guard let old else { return .added(object) }
            return old.metadata.resourceVersion == object.metadata.resourceVersion ? nil : .updated(old: old, new: object)
        case .deleted(let object):
            return objects.removeValue(forKey: object.metadata.key).map { _ in .deleted(object) }
        case .bookmark, .error:
            return nil
        }
    }
}
