import Models
import Runtime

/// List+watch of one resource into an `InformerStore`, with handlers for every change.
///
/// Guarantees: handlers see every change exactly once and in server order, across cut
/// streams (resume from the last version seen), server timeouts (resume at once) and 410 Gone
/// (relist, then the difference including missed deletions). Reconnects back off with jitter
/// (`WatchStateMachine`). Memory: one decoded `Object` per key; choose a model that keeps only
/// the fields the operator reads.
///
/// Threading: an actor; handlers run inside it, one at a time, in order, and must not block.
public actor Informer<Object: KubernetesObject> {
    /// Callbacks for changes; `synced` fires once, after the first list is in the store.
    /// `failed` fires for each failed list or watch request (with its verb), and `recovered`
    /// once at the first request that succeeds after failures: a caller can say why it is
    /// stale (a 403 names the missing permission, a transport error an unreachable server).
    public struct Handlers: Sendable {
        public var added: @Sendable (Object) -> Void
        public var updated: @Sendable (_ old: Object, _ new: Object) -> Void
        public var deleted: @Sendable (Object) -> Void
        public var synced: @Sendable () -> Void
        public var failed: @Sendable (_ verb: String, KubeError) -> Void
        public var recovered: @Sendable () -> Void

        public init(
            added: @escaping @Sendable (Object) -> Void = { _ in },
            updated: @escaping @Sendable (Object, Object) -> Void = { _, _ in },
            deleted: @escaping @Sendable (Object) -> Void = { _ in }, synced: @escaping @Sendable () -> Void = {},
            failed: @escaping @Sendable (String, KubeError) -> Void = { _, _ in },
            recovered: @escaping @Sendable () -> Void = {}
        ) {
            self.added = added
            self.updated = updated
            self.deleted = deleted
            self.synced = synced
            self.failed = failed
            self.recovered = recovered
        }
    }

    /// Watches end server-side after 5–10 minutes (client-go's range), so a silently dead
    /// connection is noticed and load spreads across API server replicas.
    public static var watchTimeoutSeconds: ClosedRange<Int> { 300...600 }

    public let client: KubeClient
    public let resource: ResourceType
    /// nil: all namespaces.
    public let namespace: String?
    public let labelSelector: String?
    /// List page size: bounds the size of one response on a big cluster.
    public let pageSize: Int
    /// Lists and watches ask for metadata only (`PartialObjectMetadata`): `Object` must read
    /// everything it needs from `metadata` (``Models/PartialObjectMetadata``, or a model whose
    /// other members are optional).
    public let metadataOnly: Bool
    private let handlers: Handlers
    /// Applied to every object before it enters the store (client-go's SetTransform): drop
    /// fields the operator never reads, share repeated strings through the interner.
    private let transform: @Sendable (Object, inout Interner) -> Object
    private var interner = Interner()
    public private(set) var store = InformerStore<Object>()
    public private(set) var machine = WatchStateMachine()
    public private(set) var hasSynced = false
    /// The last request failed and none has succeeded since.
    public private(set) var isFailing = false
    private var syncWaiters: [CheckedContinuation<Void, Never>] = []

    public init(
        client: KubeClient, resource: ResourceType = Object.resourceType, namespace: String? = nil,
        labelSelector: String? = nil, pageSize: Int = 500, metadataOnly: Bool = false,
        machine: WatchStateMachine = WatchStateMachine(),
        transform: @escaping @Sendable (Object, inout Interner) -> Object = Informer.internMetadata,
        handlers: Handlers
    ) {
        self.machine = machine
        self.transform = transform
        self.client = client
        self.resource = resource
        self.namespace = namespace
        self.labelSelector = labelSelector
        self.pageSize = pageSize
        self.metadataOnly = metadataOnly
        self.handlers = handlers
    }

    /// Lists and watches until the calling task is cancelled.
    public func run() async {
        var action = step(.start)
        while !Task.isCancelled {
            switch action {
            case .list(let delay):
                guard await pause(delay) else { return }
                action = await listOnce()
            case .watch(let resourceVersion, let delay):
                guard await pause(delay) else { return }
                action = await watchOnce(from: resourceVersion)
            case .none:
                preconditionFailure("the state machine returned no action between requests")
            }
        }
    }

    /// Returns once the first list is in the store.
    public func waitUntilSynced() async {
        if hasSynced { return }
        await withCheckedContinuation { syncWaiters.append($0) }
    }

    /// The cached object at `key`.
    public func get(_ key: ObjectKey) -> Object? { store[key] }

    private func listOnce() async -> WatchStateMachine.Action {
        do {
            let (items, resourceVersion) = try await listTransformed()
            succeeded()
            for notification in store.replace(with: items) { deliver(notification) }
            markSynced()
            // The pages' whole objects are freed now; hand the allocator's free pages back.
            Allocator.releaseFreeMemory()
            return step(.listSucceeded(resourceVersion: resourceVersion))
        } catch {
            if error.isGone { return step(.gone) }
            failed("list", error)
            return step(.listFailed)
        }
    }

    /// Every item, each page transformed as soon as it is decoded (`ListPager`), so a large list
    /// never holds more than one page of whole objects at once beside the projections.
    private func listTransformed() async throws(KubeError) -> ([Object], String) {
        var pager = ListPager<Object>(
            client: client, resource: resource, namespace: namespace,
            options: ListOptions(labelSelector: labelSelector, limit: pageSize, metadataOnly: metadataOnly))
        var items: [Object] = []
        while let page = try await pager.next() {
            if page.restarted { items = [] }
            items += page.items.map { transform($0, &interner) }
        }
        return (items, pager.resourceVersion ?? "")
    }

    private func watchOnce(from resourceVersion: String) async -> WatchStateMachine.Action {
        let options = WatchOptions(
            labelSelector: labelSelector, resourceVersion: resourceVersion, allowWatchBookmarks: true,
            timeoutSeconds: Int.random(in: Self.watchTimeoutSeconds), metadataOnly: metadataOnly)
        do {
            let events = try await client.watch(Object.self, resource: resource, namespace: namespace, options: options)
            succeeded()
            _ = step(.watchOpened)
            for try await event in events {
                if case .error(let status) = event {
                    let error = KubeError.api(status, retryAfter: nil)
                    if error.isGone { return step(.gone) }
                    failed("watch", error)
                    return step(.watchRefused)
                }
                if let notification = store.apply(transformed(event)) { deliver(notification) }
                _ = step(.event(resourceVersion: Self.resourceVersion(of: event)))
            }
            return step(.watchEnded)
        } catch {
            if error.isGone { return step(.gone) }
            failed("watch", error)
            return step(error.disposition == .permanent ? .watchRefused : .watchBroke)
        }
    }

    private func failed(_ verb: String, _ error: KubeError) {
        isFailing = true
        handlers.failed(verb, error)
    }

    private func succeeded() {
        guard isFailing else { return }
        isFailing = false
        handlers.recovered()
    }

    /// The default transform: keep the object, share its metadata's repeated strings.
    public static func internMetadata(_ object: Object, _ interner: inout Interner) -> Object {
        var object = object
        object.metadata = object.metadata.interned(&interner)
        return object
    }

    /// The interner is dropped and restarted when it holds this many strings per cached object:
    /// strings of objects long gone (run ids, names) must not accumulate over a long watch.
    /// Dropping costs only future sharing with the objects already stored.
    static var internedStringsPerObject: Int { 8 }

    private func transformed(_ event: WatchEvent<Object>) -> WatchEvent<Object> {
        if interner.count > Self.internedStringsPerObject * (store.count + 128) { interner = Interner() }
        return switch event {
        case .added(let o): .added(transform(o, &interner))
        case .modified(let o): .modified(transform(o, &interner))
        case .deleted(let o): .deleted(o)
        case .bookmark, .error: event
        }
    }

    private func step(_ input: WatchStateMachine.Input) -> WatchStateMachine.Action {
        machine.step(input, jitter: Double.random(in: 0..<1))
    }

    private func deliver(_ notification: InformerNotification<Object>) {
        switch notification {
        case .added(let object): handlers.added(object)
        case .updated(let old, let new): handlers.updated(old, new)
        case .deleted(let object): handlers.deleted(object)
        }
    }

    private func markSynced() {
        guard !hasSynced else { return }
        hasSynced = true
        handlers.synced()
        for waiter in syncWaiters { waiter.resume() }
        syncWaiters = []
    }

    /// Sleeps `delay`; false when cancelled meanwhile.
    private func pause(_ delay: Duration) async -> Bool {
        guard delay > .zero else { return !Task.isCancelled }
        do { try await Task.sleep(for: delay) } catch { return false }
        return true
    }

    private static func resourceVersion(of event: WatchEvent<Object>) -> String {
        switch event {
        case .added(let o), .modified(let o), .deleted(let o): o.metadata.resourceVersion ?? ""
        case .bookmark(let rv): rv
        case .error: ""
        }
    }
}
