import KubeJSON
import NIOCore

/// Watches: registration with replay from a resourceVersion, live dispatch, bookmarks.
extension ObjectStore {
    /// Starts a watch. Events (replayed, then live) go to `sink` under the store lock, in order.
    /// A resourceVersion older than the history window yields one ERROR event (410 Expired),
    /// like the real watch cache, and no registration.
    @discardableResult
    public func watch(
        _ resource: GroupResource, namespace: String?, options: WatchOptions,
        sink: @escaping @Sendable (WatchEvent) -> Void
    ) throws -> WatchToken? {
        try watch(resource, namespace: namespace, options: options, loop: nil, sink: sink)
    }

    /// A watch whose events are delivered on `loop` (HTTP watches): live events are handed to
    /// each loop in one task for all its watchers, which keeps fan-out to 1000s of streams cheap.
    func watch(
        _ resource: GroupResource, namespace: String?, options: WatchOptions, loop: (any EventLoop)?,
        sink: @escaping @Sendable (WatchEvent) -> Void
    ) throws -> WatchToken? {
        try lock.withLock {
            let type = try resolve(resource)
            let subscription = WatchSubscription(
                id: nextWatchID, type: type, namespace: namespace,
                labels: try options.labelSelector.map(LabelSelector.parse) ?? .everything,
                fields: try options.fieldSelector.map { try FieldSelector.parse($0, supported: supportedFields(type)) }
                    ?? .everything,
                allowBookmarks: options.allowBookmarks, loop: loop, sink: sink)
            nextWatchID += 1
            guard replay(type, to: subscription, from: options.resourceVersion) else { return nil }
            subscriptions[resource, default: [:]][subscription.id] = subscription
            return WatchToken(id: subscription.id, resource: resource)
        }
    }

    /// Cancels a watch; no event reaches its sink afterwards.
    public func stopWatch(_ token: WatchToken) {
        lock.withLock { _ = subscriptions[token.resource]?.removeValue(forKey: token.id) }
    }

    /// Number of active watches (for tests and benchmarks).
    public var watchCount: Int { lock.withLock { subscriptions.values.reduce(0) { $0 + $1.count } } }

    /// Sends a BOOKMARK at the current resourceVersion to one watch, if it asked for bookmarks.
    public func sendBookmark(_ token: WatchToken) {
        lock.withLock {
            guard let subscription = subscriptions[token.resource]?[token.id], subscription.allowBookmarks else {
                return
            }
            let object: JSONValue = [
                "kind": .string(subscription.kind), "apiVersion": .string(subscription.apiVersion),
                "metadata": ["resourceVersion": .string(String(revision))],
            ]
            subscription.send(WatchEvent(type: .bookmark, object: object, resourceVersion: revision))
        }
    }

    /// Sends the initial state or the history after `resourceVersion`; false after a 410.
    private func replay(_ type: ResourceType, to subscription: WatchSubscription, from resourceVersion: String?) -> Bool
    {
        let resource = type.groupResource
        guard let rvText = resourceVersion, !rvText.isEmpty, rvText != "0" else {
            let objects = (tables[resource] ?? [:]).sorted { $0.key < $1.key }
            for (_, object) in objects where subscription.matches(object) {
                subscription.send(
                    WatchEvent(
                        type: .added, object: object, resourceVersion: Int64(object.resourceVersionString) ?? revision))
            }
            return true
        }
        let history = histories[resource] ?? ChangeHistory()
        guard let rv = Int64(rvText), let changes = history.since(rv) else {
            let oldest = history.compactedThrough + 1
            let status = KubeAPIError.expired("too old resource version: \(rvText) (\(oldest))").status
            subscription.send(WatchEvent(type: .error, object: status, resourceVersion: 0))
            return false
        }
        for change in changes {
            if let event = subscription.event(for: change, shared: nil) { subscription.send(event) }
        }
        return true
    }

    /// Delivers one committed change to every matching watcher of its resource.
    func dispatch(_ change: Change, to resource: GroupResource) {
        guard let subscribers = subscriptions[resource], !subscribers.isEmpty else { return }
        let shared = WatchEvent(type: change.type, object: change.object, resourceVersion: change.resourceVersion)
            .encodedLine
        var batches: [ObjectIdentifier: (loop: any EventLoop, deliveries: [Delivery])] = [:]
        for subscription in subscribers.values {
            guard let event = subscription.event(for: change, shared: shared) else { continue }
            guard let loop = subscription.loop else {
                subscription.sink(event)
                continue
            }
            batches[ObjectIdentifier(loop), default: (loop, [])].deliveries.append(
                Delivery(sink: subscription.sink, event: event))
        }
        for batch in batches.values {
            let deliveries = batch.deliveries
            batch.loop.execute { for delivery in deliveries { delivery.sink(delivery.event) } }
        }
    }
}

/// One event for one loop-bound watcher.
struct Delivery: Sendable {
    var sink: @Sendable (WatchEvent) -> Void
    var event: WatchEvent
}
