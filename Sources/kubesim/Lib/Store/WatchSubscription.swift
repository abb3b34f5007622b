import KubeJSON
import NIOCore

/// A registered watcher: its filters and where its events go.
final class WatchSubscription: @unchecked Sendable {
    let id: Int
    let resource: GroupResource
    let kind: String
    let apiVersion: String
    let namespace: String?
    let labels: LabelSelector
    let fields: FieldSelector
    let allowBookmarks: Bool
    /// Without a loop: called under the store lock, in resourceVersion order; must not block or
    /// call the store. With a loop: called on that loop, in order.
    let sink: @Sendable (WatchEvent) -> Void
    /// The event loop of an HTTP watch: live events for all watches of one loop travel in one task.
    let loop: (any EventLoop)?

    init(
        id: Int, type: ResourceType, namespace: String?, labels: LabelSelector, fields: FieldSelector,
        allowBookmarks: Bool,
        loop: (any EventLoop)?, sink: @escaping @Sendable (WatchEvent) -> Void
    ) {
        self.loop = loop
        self.id = id
        self.resource = type.groupResource
        self.kind = type.kind
        self.apiVersion = type.apiVersion(type.storageVersion)
        self.namespace = namespace
        self.labels = labels
        self.fields = fields
        self.allowBookmarks = allowBookmarks
        self.sink = sink
    }

    /// Sends one event (replay, bookmark, error) to the sink, on its loop when it has one.
    func send(_ event: WatchEvent) {
        guard let loop else {
            sink(event)
            return
        }
        let sink = self.sink
        loop.execute { sink(event) }
    }

    func matches(_ object: JSONValue) -> Bool {
        if let namespace, object.namespace != namespace { return false }
        if !labels.requirements.isEmpty, !labels.matches(object.labels) { return false }
        if !fields.terms.isEmpty, !fields.matches(object.fieldString) { return false }
        return true
    }

    /// The event this watcher sees for a change, translating updates that cross its filter
    /// into ADDED/DELETED as the real watch cache does; nil when it sees nothing.
    func event(for change: Change, shared: ByteBuffer?) -> WatchEvent? {
        let now = matches(change.object)
        var type = change.type
        if change.type == .modified, let previous = change.previous {
            let before = matches(previous)
            switch (before, now) {
            case (false, false): return nil
            case (false, true): type = .added
            case (true, false): type = .deleted
            case (true, true): break
            }
        } else if !now {
            return nil
        }
        var object = change.object
        if type == .deleted, change.type == .modified, let previous = change.previous {
            // Leaving the selector: the watch cache sends the last object that matched, at the new version.
            object = previous
            object.set(["metadata", "resourceVersion"], .string(String(change.resourceVersion)))
        }
        var event = WatchEvent(type: type, object: object, resourceVersion: change.resourceVersion)
        if type == change.type { event.line = shared }
        return event
    }
}

/// A handle to cancel a watch with `ObjectStore.stopWatch`.
public struct WatchToken: Sendable, Hashable {
    let id: Int
    let resource: GroupResource
}
