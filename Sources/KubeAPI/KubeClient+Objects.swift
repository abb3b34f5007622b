import Foundation
import KubeJSON
import Models

/// CRUD on any resource. Every call has a typed form (`T: KubernetesObject`, resource from
/// `T.resourceType`) and a raw form (`resource:` given, any `Codable` such as `JSONValue`).
extension KubeClient {
    /// GET one object.
    public func get<T: Decodable & Sendable>(_ type: T.Type, resource: ResourceType, namespace: String?, name: String)
        async throws(KubeError) -> T
    {
        try decode(T.self, try await send(Call(path: resource.objectPath(namespace: namespace, name: name))))
    }

    public func get<T: KubernetesObject>(_ type: T.Type, namespace: String?, name: String) async throws(KubeError) -> T
    {
        try await get(T.self, resource: T.resourceType, namespace: namespace, name: name)
    }

    /// One page of a list; follow `metadata.continue` for the next.
    public func listPage<T: Decodable & Sendable>(
        _ type: T.Type, resource: ResourceType, namespace: String?, options: ListOptions = ListOptions()
    ) async throws(KubeError) -> RawList<T> {
        try decode(
            RawList<T>.self,
            try await send(
                Call(path: resource.collectionPath(namespace: namespace), query: options.query, accept: options.accept))
        )
    }

    /// Every item, page by page (`limit` per page; see `ListPager` for the snapshot and the
    /// restart after an expired continue token).
    public func list<T: Decodable & Sendable>(
        _ type: T.Type, resource: ResourceType, namespace: String?, options: ListOptions = ListOptions()
    ) async throws(KubeError) -> RawList<T> {
        var pager = ListPager<T>(client: self, resource: resource, namespace: namespace, options: options)
        var items: [T] = []
        while let page = try await pager.next() {
            if page.restarted { items = [] }
            items += page.items
        }
        return RawList(metadata: ListMeta(resourceVersion: pager.resourceVersion), items: items)
    }

    public func list<T: KubernetesObject>(_ type: T.Type, namespace: String?, options: ListOptions = ListOptions())
        async throws(KubeError) -> RawList<T>
    {
        try await list(T.self, resource: T.resourceType, namespace: namespace, options: options)
    }

    /// POST a new object.
    ///
    /// Idempotency: if an attempt failed ambiguously (connection cut, 5xx, 429) the object may
    /// exist already; a 409 AlreadyExists on a *retry* is then resolved by reading the object
    /// by name and returning it. A 409 on the first attempt is thrown: the name was taken.
    public func create<T: Codable & Sendable>(_ object: T, resource: ResourceType, namespace: String?, name: String?)
        async throws(KubeError) -> T
    {
        try await create(object, resource: resource, namespace: namespace, name: name, answer: T.self)
    }

    /// POST a new object and read the answer as `Answer` (``Unread`` when the caller needs nothing back).
    @discardableResult
    public func create<T: Encodable & Sendable, Answer: Decodable & Sendable>(
        _ object: T, resource: ResourceType, namespace: String?, name: String?, answer: Answer.Type
    ) async throws(KubeError) -> Answer {
        let call = Call(method: "POST", path: resource.collectionPath(namespace: namespace), body: try encode(object))
        var retried = false
        do {
            return try decode(Answer.self, try await send(call, onRetry: { _ in retried = true }))
        } catch  where error.isAlreadyExists && retried && name != nil {
            return try await get(Answer.self, resource: resource, namespace: namespace, name: name!)
        }
    }

    public func create<T: KubernetesObject>(_ object: T) async throws(KubeError) -> T {
        try await create(
            object, resource: T.resourceType, namespace: object.metadata.namespace, name: object.metadata.name)
    }

    /// PUT a whole object (its resourceVersion makes it conditional).
    public func replace<T: Codable & Sendable>(
        _ object: T, resource: ResourceType, namespace: String?, name: String, subresource: String? = nil
    ) async throws(KubeError) -> T {
        let path = resource.objectPath(namespace: namespace, name: name, subresource: subresource)
        return try decode(T.self, try await send(Call(method: "PUT", path: path, body: try encode(object))))
    }

    public func replace<T: KubernetesObject>(_ object: T) async throws(KubeError) -> T {
        try await replace(
            object, resource: T.resourceType, namespace: object.metadata.namespace, name: object.metadata.name ?? "")
    }

    /// PUT to the `status` subresource: only status changes, spec edits are ignored.
    public func replaceStatus<T: KubernetesObject>(_ object: T) async throws(KubeError) -> T {
        try await replace(
            object, resource: T.resourceType, namespace: object.metadata.namespace, name: object.metadata.name ?? "",
            subresource: "status")
    }

    /// PATCH an object (or its `status` subresource) with one of the three patch formats.
    public func patch<T: Decodable & Sendable>(
        _ type: T.Type, resource: ResourceType, namespace: String?, name: String, patch: some Encodable & Sendable,
        as patchType: PatchType = .merge, subresource: String? = nil
    ) async throws(KubeError) -> T {
        let path = resource.objectPath(namespace: namespace, name: name, subresource: subresource)
        let call = Call(method: "PATCH", path: path, body: try encode(patch), contentType: patchType.rawValue)
        return try decode(T.self, try await send(call))
    }

    public func patch<T: KubernetesObject>(
        _ type: T.Type, namespace: String?, name: String, patch: JSONValue, as patchType: PatchType = .merge,
        subresource: String? = nil
    ) async throws(KubeError) -> T {
        try await self.patch(
            T.self, resource: T.resourceType, namespace: namespace, name: name, patch: patch, as: patchType,
            subresource: subresource)
    }

    /// DELETE an object. The answer (the object while finalizers or grace run, or a Status)
    /// is returned raw; a 404 is thrown (`isNotFound`) for the caller to treat as done.
    @discardableResult
    public func delete(
        resource: ResourceType, namespace: String?, name: String, options: DeleteOptions = DeleteOptions()
    ) async throws(KubeError) -> JSONValue {
        let call = Call(
            method: "DELETE", path: resource.objectPath(namespace: namespace, name: name), body: try encode(options))
        return try decode(JSONValue.self, try await send(call))
    }

    /// A pod's log (one container, optionally only the last lines), as text.
    public func logs(
        namespace: String, pod: String, container: String? = nil, tailLines: Int? = nil,
        podResource: ResourceType = ResourceType(group: "", version: "v1", kind: "Pod", plural: "pods")
    ) async throws(KubeError) -> String {
        var query: [(String, String)] = []
        if let container { query.append(("container", container)) }
        if let tailLines { query.append(("tailLines", String(tailLines))) }
        let call = Call(
            path: podResource.objectPath(namespace: namespace, name: pod, subresource: "log"), query: query,
            accept: "*/*")
        return String(decoding: try await send(call), as: UTF8.self)
    }

    func decode<T: Decodable>(_ type: T.Type, _ data: Data) throws(KubeError) -> T {
        if let unread = Unread() as? T { return unread }
        if let readable = T.self as? any JSONReadable.Type {
            do {
                if let value = try readable.init(jsonBytes: data) as? T { return value }
            } catch {
                throw .decoding("\(T.self): \(error)")
            }
        }
        do { return try JSONDecoder().decode(T.self, from: data) } catch { throw .decoding("\(T.self): \(error)") }
    }

    /// A request body, streamed: a `JSONValue` is written as it is (key order does not matter to the
    /// server) and a `JSONText` (a command's pod) sent as it was read, both by the encoder itself.
    func encode<T: Encodable>(_ value: T) throws(KubeError) -> Data {
        do { return Data(try JSONStreamEncoder.encode(value)) } catch {
            throw .decoding("encoding \(T.self): \(error)")
        }
    }
}

/// The answer type of a write whose caller needs nothing back: the body is not parsed at all.
/// An executor's writes echo whole objects (a pod, an OMJob); parsing them was a third of its CPU.
public struct Unread: Decodable, Sendable {
    public init() {}
    public init(from decoder: any Decoder) throws {}
}

/// The answer type of a write whose caller needs only the object's new resourceVersion.
public struct WrittenVersion: Decodable, Sendable {
    public var resourceVersion: String?

    private struct Metadata: Decodable { var resourceVersion: String? }
    private enum CodingKeys: String, CodingKey { case metadata }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        resourceVersion = try container.decodeIfPresent(Metadata.self, forKey: .metadata)?.resourceVersion
    }
}

/// A write's answer is a whole object, of which only the version is read: the rest is skipped unallocated.
extension WrittenVersion: JSONReadable {
    public init(reading reader: inout JSONReader) throws(JSONReadError) {
        var version: String?
        try reader.readObject { reader, key throws(JSONReadError) in
            guard key == "metadata" else { return try reader.skipValue() }
            _ = try reader.readObjectOrNull { reader throws(JSONReadError) in
                try reader.readObject { reader, key throws(JSONReadError) in
                    if key == "resourceVersion" {
                        version = try reader.readStringOrNull()
                    } else {
                        try reader.skipValue()
                    }
                }
            }
        }
        resourceVersion = version
    }
}

/// A list response whose items may be any decodable type (a model or `JSONValue`).
public struct RawList<Item: Decodable & Sendable>: Decodable, Sendable {
    public var metadata: ListMeta
    public var items: [Item]

    public init(metadata: ListMeta, items: [Item]) {
        self.metadata = metadata
        self.items = items
    }

    private enum CodingKeys: String, CodingKey { case metadata, items }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        metadata = try container.decodeIfPresent(ListMeta.self, forKey: .metadata) ?? ListMeta()
        // The API server sends `"items": null` for an empty list of some kinds.
        items = try container.decodeIfPresent([Item].self, forKey: .items) ?? []
    }
}

/// A list of readable items is read straight from its bytes, as their watch events are: an
/// informer's first list (and every relist) of thousands of pods or OMJobs never goes through
/// Foundation's decoder, which builds the whole document before `Codable` reads it.
extension RawList: JSONReadable where Item: JSONReadable {
    public init(reading reader: inout JSONReader) throws(JSONReadError) {
        var metadata = ListMeta()
        var items: [Item] = []
        try reader.readObject { reader, key throws(JSONReadError) in
            if key == "metadata" {
                metadata =
                    try reader.readObjectOrNull { reader throws(JSONReadError) in
                        try ListMeta(reading: &reader)
                    } ?? ListMeta()
            } else if key == "items" {
                items =
                    try reader.readArrayOrNull { reader throws(JSONReadError) in
                        try Item(reading: &reader)
                    } ?? []
            } else {
                try reader.skipValue()
            }
        }
        self.init(metadata: metadata, items: items)
    }
}

extension ListMeta {
    init(reading reader: inout JSONReader) throws(JSONReadError) {
        self.init()
        var meta = self
        try reader.readObject { reader, key throws(JSONReadError) in
            if key == "resourceVersion" {
                meta.resourceVersion = try reader.readStringOrNull()
            } else if key == "continue" {
                meta.continue = try reader.readStringOrNull()
            } else if key == "remainingItemCount" {
                meta.remainingItemCount = try reader.readInt64OrNull()
            } else {
                try reader.skipValue()
            }
        }
        self = meta
    }
}
