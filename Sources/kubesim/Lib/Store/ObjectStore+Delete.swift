import KubeJSON

/// Delete: preconditions, graceful deletion, finalizers, propagation policy.
///
/// An object is removed when it has a deletionTimestamp, no finalizers, and a grace period of
/// zero; until then it stays visible (watchers see MODIFIED, then DELETED).
extension ObjectStore {
    /// Deletes an object (or starts its graceful/finalized deletion).
    @discardableResult
    public func delete(_ resource: GroupResource, namespace: String?, name: String, options: DeleteOptions = .init())
        throws -> DeleteOutcome
    {
        try lock.withLock {
            let type = try resolve(resource)
            let outcome = try deleteLocked(type, namespace: namespace, name: name, options: options)
            runControllers()
            return outcome
        }
    }

    func deleteLocked(_ type: ResourceType, namespace: String?, name: String, options: DeleteOptions) throws
        -> DeleteOutcome
    {
        let objectKey = key(type, namespace, name)
        guard let old = tables[type.groupResource]?[objectKey] else { throw KubeAPIError.notFound(type.subject(name)) }
        try checkPreconditions(type, old, options)
        let grace = gracePeriod(type, old, options)
        let finalizers = try finalizersForDeletion(type, old, options)
        if old.isDeleting, let current = old.deletionGracePeriod, grace >= current {
            return finishDeletionIfReleased(type, key: objectKey).map(DeleteOutcome.deleted) ?? .pending(old)
        }
        // Namespaces always pass through Terminating: the namespace controller empties them first.
        if finalizers.isEmpty, grace == 0, type.behavior != .namespace {
            guard type.behavior == .pod, !old.isDeleting else {
                return .deleted(remove(type, key: objectKey, object: old))
            }
            // The pod registry marks even an immediate deletion (deletionTimestamp, grace 0) before
            // removing it: watchers see MODIFIED, then DELETED.
            let marked = markDeleting(type, key: objectKey, old, finalizers: [], grace: 0)
            remove(type, key: objectKey, object: marked)
            return .deleted(marked)
        }
        let marked = markDeleting(type, key: objectKey, old, finalizers: finalizers, grace: grace)
        return finishDeletionIfReleased(type, key: objectKey).map(DeleteOutcome.deleted) ?? .pending(marked)
    }

    /// The object's finalizers plus the one its propagation policy adds (foregroundDeletion, orphan).
    private func finalizersForDeletion(_ type: ResourceType, _ old: JSONValue, _ options: DeleteOptions) throws
        -> [String]
    {
        if options.orphanDependents != nil, let policy = options.propagationPolicy {
            let detail = "orphanDependents and deletionPropagation cannot be both set"
            throw KubeAPIError(
                code: 422, reason: "Invalid",
                message:
                    "DeleteOptions.meta.k8s.io \"\" is invalid: propagationPolicy: Invalid value: \"\(policy)\": \(detail)",
                kind: "DeleteOptions",
                causes: [
                    .init(
                        reason: "FieldValueInvalid", message: "Invalid value: \"\(policy)\": \(detail)",
                        field: "propagationPolicy")
                ])
        }
        var finalizers = old.finalizers
        let added: String?
        switch options.propagationPolicy ?? (options.orphanDependents == true ? "Orphan" : "Background") {
        case "Foreground": added = "foregroundDeletion"
        case "Orphan": added = "orphan"
        case "Background": added = nil
        case let other:
            throw KubeAPIError.invalid(
                type.subject(old.name),
                [
                    .init(
                        kind: .notSupported, field: "propagationPolicy", value: "\"\(other)\"",
                        detail: "supported values: \"Foreground\", \"Background\", \"Orphan\", \"nil\"")
                ])
        }
        if let added, !finalizers.contains(added), !old.isDeleting { finalizers.append(added) }
        return finalizers
    }

    /// Sets deletionTimestamp/grace (or shortens them), finalizers, generation; commits MODIFIED.
    private func markDeleting(
        _ type: ResourceType, key objectKey: String, _ old: JSONValue, finalizers: [String], grace: Int64
    ) -> JSONValue {
        var object = old
        object.finalizers = finalizers
        if !old.isDeleting || grace < (old.deletionGracePeriod ?? 0) {
            object.set(["metadata", "deletionTimestamp"], .string(timestamp(offset: grace)))
            object.set(["metadata", "deletionGracePeriodSeconds"], .int(grace))
        }
        if type.tracksGeneration, !old.isDeleting { object.set(["metadata", "generation"], .int(old.generation + 1)) }
        if type.behavior == .namespace { object.set(["status", "phase"], "Terminating") }
        let rv = nextRevision()
        object.set(["metadata", "resourceVersion"], .string(String(rv)))
        commit(type, key: objectKey, object: object, previous: old, event: .modified, revision: rv)
        return object
    }

    private func checkPreconditions(_ type: ResourceType, _ object: JSONValue, _ options: DeleteOptions) throws {
        var subject = type.subject(object.name)
        // Precondition failures name the kind (`Pod`, `OMJob.pipelines.openmetadata.org`), not the resource.
        subject.plural = type.kind
        if let uid = options.preconditionUID, uid != object.uid {
            throw KubeAPIError.conflict(
                subject,
                "the UID in the precondition (\(uid)) does not match the UID in record (\(object.uid)). The object might have been deleted and then recreated"
            )
        }
        if let rv = options.preconditionResourceVersion, rv != object.resourceVersionString {
            throw KubeAPIError.conflict(
                subject,
                "the ResourceVersion in the precondition (\(rv)) does not match the ResourceVersion in record (\(object.resourceVersionString)). The object might have been modified"
            )
        }
    }

    /// Pods are graceful (their terminationGracePeriodSeconds) unless never scheduled or
    /// already terminal, as the pod strategy's CheckGracefulDeleteWithOptions decides.
    private func gracePeriod(_ type: ResourceType, _ object: JSONValue, _ options: DeleteOptions) -> Int64 {
        guard type.behavior == .pod else { return 0 }
        let nodeName = object[path: ["spec", "nodeName"]]?.stringValue ?? ""
        let phase = object[path: ["status", "phase"]]?.stringValue ?? ""
        if nodeName.isEmpty || phase == "Succeeded" || phase == "Failed" { return 0 }
        let requested =
            options.gracePeriodSeconds ?? object[path: ["spec", "terminationGracePeriodSeconds"]]?.intValue ?? 30
        return max(0, requested)
    }

    /// Removes a deleting object whose finalizers are gone and grace period is over; returns it.
    func finishDeletionIfReleased(_ type: ResourceType, key objectKey: String) -> JSONValue? {
        guard let object = tables[type.groupResource]?[objectKey], object.isDeleting, object.finalizers.isEmpty,
            (object.deletionGracePeriod ?? 0) == 0
        else { return nil }
        if type.behavior == .namespace, !namespaceIsEmpty(object.name) { return nil }
        return remove(type, key: objectKey, object: object)
    }

    /// Removes an object now: DELETED at a new resourceVersion, then CRD and owner side effects.
    @discardableResult
    func remove(_ type: ResourceType, key objectKey: String, object: JSONValue) -> JSONValue {
        var final = object
        let rv = nextRevision()
        final.set(["metadata", "resourceVersion"], .string(String(rv)))
        commit(type, key: objectKey, object: final, previous: object, event: .deleted, revision: rv)
        logs = logs.filter { !$0.key.hasPrefix("\(object.namespace)/\(object.name)/") || type.behavior != .pod }
        if type.behavior == .customResourceDefinition { removeCustomResources(of: object) }
        pendingRemovals.append(object.uid)
        return final
    }

    private func removeCustomResources(of crd: JSONValue) {
        let served = CRDStrategy.resourceType(crd)
        guard let type = registry[served.groupResource] else { return }
        for (objectKey, object) in tables[type.groupResource] ?? [:] { remove(type, key: objectKey, object: object) }
        registry.unregister(type.groupResource)
    }
}
