import Foundation
import KubeJSON
import NIOConcurrencyHelpers

/// The simulated etcd plus the API server's registry logic: every object of every resource,
/// one global resourceVersion, the change history watches resume from, and the built-in
/// controllers (garbage collector, namespace finalizer) that run synchronously after writes.
///
/// Thread safety: one lock guards everything; every public method is atomic. Watch sinks are
/// called under that lock in resourceVersion order, so they must only enqueue work.
///
/// Extension points for the simulated kubelet and fault injection (kubesim part 2):
/// - `mutate(_:namespace:name:subresource:_:)`: read-modify-write of one object, with the same
///   rules and events as an API write, for moving pods through phases;
/// - `watch(_:namespace:options:sink:)`: in-process watch of any resource;
/// - `appendLog(namespace:pod:container:_:)`: what `pods/log` serves.
public final class ObjectStore: @unchecked Sendable {
    let lock = NIOLock()
    let configuration: StoreConfiguration
    var registry = ResourceRegistry()
    /// Per resource: "namespace/name" (or "name") → object.
    var tables: [GroupResource: [String: JSONValue]] = [:]
    /// uid → where the object lives, for owner lookups.
    var uidIndex: [String: (GroupResource, String)] = [:]
    var histories: [GroupResource: ChangeHistory] = [:]
    var subscriptions: [GroupResource: [Int: WatchSubscription]] = [:]
    var nextWatchID = 1
    var revision: Int64 = 1
    var logs: [String: String] = [:]
    /// uids removed since the controllers last ran (the garbage collector's work queue).
    var pendingRemovals: [String] = []
    /// uids of new objects whose owners may never have existed (the GC deletes those).
    var danglingCandidates: [String] = []
    /// uids of objects that carry a deletionTimestamp (what the controllers look at).
    var deleting: Set<String> = []
    /// The wall clock; injectable so tests can pin timestamps.
    let now: @Sendable () -> Date

    public init(configuration: StoreConfiguration = .init(), now: @escaping @Sendable () -> Date = { Date() }) {
        self.configuration = configuration
        self.now = now
        for name in ["default", "kube-system", "kube-public", "kube-node-lease"] {
            _ = try? create(
                .namespaces, namespace: nil,
                object: ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(name)]])
        }
    }

    /// The newest resourceVersion handed out.
    public var resourceVersion: Int64 { lock.withLock { revision } }

    /// The served types (built-ins plus established CRDs).
    public var resourceTypes: [ResourceType] { lock.withLock { Array(registry.types.values) } }

    func registrySnapshot() -> ResourceRegistry { lock.withLock { registry } }

    /// Reads one object.
    public func get(_ resource: GroupResource, namespace: String?, name: String) throws -> JSONValue {
        try lock.withLock {
            let type = try resolve(resource)
            guard let object = tables[resource]?[key(type, namespace, name)] else {
                throw KubeAPIError.notFound(type.subject(name))
            }
            return object
        }
    }

    // MARK: helpers used by the other files (lock held)

    func resolve(_ resource: GroupResource) throws -> ResourceType {
        guard let type = registry[resource] else {
            throw KubeAPIError(
                code: 404, reason: "NotFound", message: "the server could not find the requested resource")
        }
        return type
    }

    func key(_ type: ResourceType, _ namespace: String?, _ name: String) -> String {
        type.namespaced ? "\(namespace ?? "")/\(name)" : name
    }

    func key(_ type: ResourceType, of object: JSONValue) -> String { key(type, object.namespace, object.name) }

    func nextRevision() -> Int64 {
        revision += 1
        return revision
    }

    func timestamp(offset seconds: Int64 = 0) -> String {
        KubeTime.format(now().addingTimeInterval(TimeInterval(seconds)))
    }

    /// Stores `object` (nil removes) and tells history and watchers.
    func commit(
        _ type: ResourceType, key: String, object: JSONValue, previous: JSONValue?, event: WatchEvent.Kind,
        revision rv: Int64
    ) {
        let resource = type.groupResource
        if event == .deleted {
            tables[resource]?[key] = nil
            uidIndex[object.uid] = nil
            deleting.remove(object.uid)
        } else {
            tables[resource, default: [:]][key] = object
            uidIndex[object.uid] = (resource, key)
            if object.isDeleting { deleting.insert(object.uid) }
        }
        let change = Change(type: event, object: object, previous: previous, resourceVersion: rv)
        histories[resource, default: ChangeHistory()].append(change, limit: configuration.historyLimit)
        dispatch(change, to: resource)
    }

    /// The object with uid `uid`, if it still exists.
    func object(uid: String) -> (ResourceType, String, JSONValue)? {
        guard let (resource, key) = uidIndex[uid], let type = registry[resource], let object = tables[resource]?[key]
        else { return nil }
        return (type, key, object)
    }
}
