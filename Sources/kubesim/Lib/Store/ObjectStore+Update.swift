import KubeJSON

/// Update (PUT), patch and in-process mutation: one path with status-subresource rules,
/// optimistic concurrency, generation bumps and no-op detection.
extension ObjectStore {
    /// Replaces an object (PUT). A stale `metadata.resourceVersion` is 409 Conflict.
    @discardableResult
    public func update(
        _ resource: GroupResource, namespace: String?, name: String, object: JSONValue,
        subresource: Subresource = .main
    ) throws -> JSONValue {
        try lock.withLock {
            let type = try resolve(resource)
            var incoming = try normalizeIncoming(type, object, namespace: namespace)
            if incoming.name.isEmpty { incoming.set(["metadata", "name"], .string(name)) }
            guard incoming.name == name else {
                throw KubeAPIError.badRequest(
                    "the name of the object (\(incoming.name)) does not match the name on the URL (\(name))")
            }
            guard let old = tables[resource]?[key(type, namespace, name)] else {
                if type.allowsCreateOnUpdate, subresource == .main {
                    return try createLocked(type, namespace: namespace, object: incoming)
                }
                throw KubeAPIError.notFound(type.subject(name))
            }
            let rv = incoming.resourceVersionString
            if rv.isEmpty, !type.allowsUnconditionalUpdate {
                let subject = type.subject(name)
                throw KubeAPIError(
                    code: 422, reason: "Invalid",
                    message:
                        "\(subject.qualified) \"\(name)\" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update",
                    name: name, group: type.group, kind: type.kind,
                    causes: [
                        .init(
                            reason: "FieldValueInvalid", message: "Invalid value: 0x0: must be specified for an update",
                            field: "metadata.resourceVersion")
                    ])
            }
            defer { runControllers() }
            return try updateLocked(type, old: old, new: incoming, subresource: subresource)
        }
    }

    /// Applies a patch to the current object and stores the result like an update.
    @discardableResult
    public func patch(
        _ resource: GroupResource, namespace: String?, name: String, type patchType: PatchType,
        patch: JSONValue, subresource: Subresource = .main
    ) throws -> JSONValue {
        try lock.withLock {
            let type = try resolve(resource)
            guard let old = tables[resource]?[key(type, namespace, name)] else {
                throw KubeAPIError.notFound(type.subject(name))
            }
            let patched = try PatchApplier.apply(patchType, patch: patch, to: old, type: type)
            var incoming = try normalizeIncoming(type, patched, namespace: namespace)
            if incoming.name != name { incoming.set(["metadata", "name"], .string(name)) }
            defer { runControllers() }
            return try updateLocked(type, old: old, new: incoming, subresource: subresource)
        }
    }

    /// Read-modify-write of one object under the store lock, through the same rules as an API
    /// update (no conflict is possible). For the simulated kubelet and fault injection.
    @discardableResult
    public func mutate(
        _ resource: GroupResource, namespace: String?, name: String, subresource: Subresource = .main,
        _ body: (inout JSONValue) throws -> Void
    ) throws -> JSONValue {
        try lock.withLock {
            let type = try resolve(resource)
            guard let old = tables[resource]?[key(type, namespace, name)] else {
                throw KubeAPIError.notFound(type.subject(name))
            }
            var new = old
            try body(&new)
            new.set(["metadata", "resourceVersion"], .string(old.resourceVersionString))
            defer { runControllers() }
            return try updateLocked(type, old: old, new: new, subresource: subresource)
        }
    }

    /// The shared update path (lock held).
    func updateLocked(_ type: ResourceType, old: JSONValue, new incoming: JSONValue, subresource: Subresource) throws
        -> JSONValue
    {
        let subject = type.subject(old.name)
        let requestedRV = incoming.resourceVersionString
        if !requestedRV.isEmpty, requestedRV != old.resourceVersionString {
            throw KubeAPIError.staleResourceVersion(subject)
        }
        var new = applySubresourceRules(type, old: old, new: incoming, subresource: subresource)
        Strategy.prepareForUpdate(type, &new)
        new.dropEmptyMetadataMaps()
        let errors = Strategy.validate(type, new, old: old)
        if !errors.isEmpty { throw KubeAPIError.invalid(subject, errors) }
        for field in [
            "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation", "namespace",
            "name",
        ] {
            new.set(["metadata", field], old[path: ["metadata", field]])
        }
        new.set(["metadata", "resourceVersion"], .string(old.resourceVersionString))
        if type.tracksGeneration,
            new.withoutMetadata(removingStatus: type.hasStatusSubresource)
                != old.withoutMetadata(removingStatus: type.hasStatusSubresource)
        {
            new.set(["metadata", "generation"], .int(old.generation + 1))
        }
        if new == old { return old }
        let rv = nextRevision()
        new.set(["metadata", "resourceVersion"], .string(String(rv)))
        let objectKey = key(type, of: new)
        commit(type, key: objectKey, object: new, previous: old, event: .modified, revision: rv)
        try afterWrite(type, new)
        if new.isDeleting { return finishDeletionIfReleased(type, key: objectKey) ?? new }
        return new
    }

    /// Main endpoint keeps the old status; `/status` keeps everything but the new status.
    private func applySubresourceRules(_ type: ResourceType, old: JSONValue, new: JSONValue, subresource: Subresource)
        -> JSONValue
    {
        guard type.hasStatusSubresource else { return new }
        switch subresource {
        case .main:
            var result = new
            result["status"] = old["status"]
            return result
        case .status:
            var result = old
            result["status"] = new["status"]
            result.set(["metadata", "resourceVersion"], .string(new.resourceVersionString))
            return result
        }
    }
}
