import Foundation
import KubeJSON

/// Create: names, system metadata, defaults, validation, namespace lifecycle, AlreadyExists.
extension ObjectStore {
    /// Creates an object; returns it as stored. `namespace` is the request's (nil for cluster scope).
    @discardableResult
    public func create(_ resource: GroupResource, namespace: String?, object: JSONValue) throws -> JSONValue {
        try lock.withLock {
            let type = try resolve(resource)
            defer { runControllers() }
            return try createLocked(type, namespace: namespace, object: object)
        }
    }

    func createLocked(_ type: ResourceType, namespace: String?, object: JSONValue) throws -> JSONValue {
        var object = try normalizeIncoming(type, object, namespace: namespace)
        if !object.resourceVersionString.isEmpty {
            throw KubeAPIError.badRequest("resourceVersion should not be set on objects to be created")
        }
        assignGeneratedName(&object)
        for field in [
            "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation", "selfLink",
            "managedFields",
        ] {
            object.set(["metadata", field], nil)
        }
        Strategy.prepareForCreate(type, &object)
        object.dropEmptyMetadataMaps()
        if type.namespaced { try checkNamespaceAccepts(type, object) }
        let errors = Strategy.validate(type, object, old: nil)
        if !errors.isEmpty { throw KubeAPIError.invalid(type.subject(object.name), errors) }
        let objectKey = key(type, of: object)
        if tables[type.groupResource]?[objectKey] != nil { throw KubeAPIError.alreadyExists(type.subject(object.name)) }

        let rv = nextRevision()
        object.set(["metadata", "uid"], .string(UUID().uuidString.lowercased()))
        object.set(["metadata", "creationTimestamp"], .string(timestamp()))
        object.set(["metadata", "resourceVersion"], .string(String(rv)))
        if type.tracksGeneration { object.set(["metadata", "generation"], 1) }
        commit(type, key: objectKey, object: object, previous: nil, event: .added, revision: rv)
        if !object.ownerUIDs.isEmpty { danglingCandidates.append(object.uid) }
        try afterWrite(type, object)
        return object
    }

    /// Checks apiVersion/kind, fills them in, and reconciles the namespace with the URL's.
    func normalizeIncoming(_ type: ResourceType, _ object: JSONValue, namespace: String?) throws -> JSONValue {
        guard case .object = object else {
            throw KubeAPIError.badRequest("the body of the request was not a JSON object")
        }
        var object = object
        if let kind = object["kind"]?.stringValue, !kind.isEmpty, kind != type.kind {
            throw KubeAPIError.badRequest(
                "the kind in the body (\(kind)) does not match the kind of the resource (\(type.kind))")
        }
        if let apiVersion = object["apiVersion"]?.stringValue, !apiVersion.isEmpty,
            !type.versions.map(type.apiVersion).contains(apiVersion)
        {
            throw KubeAPIError.badRequest(
                "the API version in the data (\(apiVersion)) does not match the expected API version (\(type.apiVersion(type.storageVersion)))"
            )
        }
        object["kind"] = .string(type.kind)
        object["apiVersion"] = .string(type.apiVersion(type.storageVersion))
        if object["metadata"]?.objectValue == nil { object["metadata"] = [:] }
        guard type.namespaced else {
            object.set(["metadata", "namespace"], nil)
            return object
        }
        let bodyNamespace = object.namespace
        if let namespace, !namespace.isEmpty {
            if !bodyNamespace.isEmpty, bodyNamespace != namespace {
                throw KubeAPIError.badRequest(
                    "the namespace of the provided object does not match the namespace sent on the request")
            }
            object.set(["metadata", "namespace"], .string(namespace))
        }
        return object
    }

    private func assignGeneratedName(_ object: inout JSONValue) {
        guard object.name.isEmpty, let prefix = object[path: ["metadata", "generateName"]]?.stringValue, !prefix.isEmpty
        else { return }
        let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
        let suffix = String((0..<5).map { _ in alphabet.randomElement()! })
        object.set(["metadata", "name"], .string(String(prefix.prefix(58)) + suffix))
    }

    /// NamespaceLifecycle admission: the namespace must exist and not be terminating.
    private func checkNamespaceAccepts(_ type: ResourceType, _ object: JSONValue) throws {
        let namespace = object.namespace
        guard !namespace.isEmpty else { return }
        guard let ns = tables[.namespaces]?[namespace] else {
            throw KubeAPIError.notFound(
                ErrorSubject(group: "", plural: "namespaces", kind: "Namespace", name: namespace))
        }
        if ns.isDeleting {
            throw KubeAPIError.forbidden(
                type.subject(object.name),
                "unable to create new content in namespace \(namespace) because it is being terminated")
        }
    }

    /// Side effects of a stored write: CRDs (re)register the type they define.
    func afterWrite(_ type: ResourceType, _ object: JSONValue) throws {
        guard type.behavior == .customResourceDefinition, !object.isDeleting else { return }
        registry.register(CRDStrategy.resourceType(object))
    }
}
