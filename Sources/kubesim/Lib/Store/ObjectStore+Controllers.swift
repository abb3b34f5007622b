import KubeJSON

/// The cluster controllers kubesim runs synchronously after every delete: the garbage
/// collector (orphaned dependents, foreground and orphan finalizers) and the namespace
/// controller (content deletion, then removal). Synchronous so tests need no polling.
extension ObjectStore {
    /// Runs every controller until nothing changes (bounded, in case of owner cycles).
    func runControllers() {
        if pendingRemovals.isEmpty && deleting.isEmpty && danglingCandidates.isEmpty { return }
        while let uid = danglingCandidates.popLast() { collectIfAllOwnersAbsent(uid) }
        for _ in 0..<64 {
            var changed = false
            while let uid = pendingRemovals.popLast() { changed = collectDependents(ofRemoved: uid) || changed }
            changed = processDeletingOwners() || changed
            changed = processTerminatingNamespaces() || changed
            if !changed && pendingRemovals.isEmpty { return }
        }
    }

    /// Every object that references `uid` as an owner: (type, key, object).
    func dependents(of uid: String) -> [(ResourceType, String, JSONValue)] {
        var found: [(ResourceType, String, JSONValue)] = []
        for (resource, objects) in tables {
            guard let type = registry[resource] else { continue }
            for (objectKey, object) in objects where object.ownerUIDs.contains(uid) {
                found.append((type, objectKey, object))
            }
        }
        return found
    }

    /// Background GC: a dependent whose owners are all gone is deleted; one that still has a
    /// live owner only loses the dangling reference.
    private func collectDependents(ofRemoved uid: String) -> Bool {
        var changed = false
        for (type, _, dependent) in dependents(of: uid) {
            let liveOwners = dependent.ownerUIDs.filter { $0 != uid && object(uid: $0) != nil }
            if liveOwners.isEmpty {
                guard !dependent.isDeleting else { continue }
                _ = try? deleteLocked(type, namespace: dependent.namespace, name: dependent.name, options: .init())
            } else {
                dropOwnerReference(uid, from: type, dependent)
            }
            changed = true
        }
        return changed
    }

    /// A dependent whose ownerReferences all name objects that do not exist is deleted.
    private func collectIfAllOwnersAbsent(_ uid: String) {
        guard let (type, _, dependent) = object(uid: uid), !dependent.isDeleting,
            dependent.ownerUIDs.allSatisfy({ object(uid: $0) == nil })
        else { return }
        _ = try? deleteLocked(type, namespace: dependent.namespace, name: dependent.name, options: .init())
    }

    /// Foreground: delete dependents, release the owner when no blocking dependent is left.
    /// Orphan: strip the owner reference from dependents, then release the owner.
    private func processDeletingOwners() -> Bool {
        var changed = false
        for uid in deleting {
            guard let (type, _, owner) = object(uid: uid) else { continue }
            let finalizers = owner.finalizers
            if finalizers.contains("orphan") {
                for (depType, _, dependent) in dependents(of: owner.uid) {
                    dropOwnerReference(owner.uid, from: depType, dependent)
                }
                releaseFinalizer("orphan", type, owner)
                changed = true
            } else if finalizers.contains("foregroundDeletion") {
                changed = advanceForeground(type, owner) || changed
            }
        }
        return changed
    }

    private func advanceForeground(_ type: ResourceType, _ owner: JSONValue) -> Bool {
        var changed = false
        var blocking = 0
        for (depType, _, dependent) in dependents(of: owner.uid) {
            if !dependent.isDeleting {
                _ = try? deleteLocked(
                    depType, namespace: dependent.namespace, name: dependent.name,
                    options: .init(propagationPolicy: "Foreground"))
                changed = true
            }
            let blocks = dependent.ownerReferences.contains {
                $0["uid"]?.stringValue == owner.uid && $0["blockOwnerDeletion"]?.boolValue == true
            }
            if blocks, object(uid: dependent.uid) != nil { blocking += 1 }
        }
        if blocking == 0 {
            releaseFinalizer("foregroundDeletion", type, owner)
            changed = true
        }
        return changed
    }

    /// Namespace controller: delete everything in a terminating namespace, then the namespace.
    private func processTerminatingNamespaces() -> Bool {
        guard let type = registry[.namespaces] else { return false }
        var changed = false
        for uid in deleting {
            guard let (nsType, nsKey, namespace) = object(uid: uid), nsType.behavior == .namespace else { continue }
            for (resource, objects) in tables where resource != .namespaces {
                guard let contentType = registry[resource], contentType.namespaced else { continue }
                for (_, object) in objects where object.namespace == namespace.name && !object.isDeleting {
                    _ = try? deleteLocked(contentType, namespace: object.namespace, name: object.name, options: .init())
                    changed = true
                }
            }
            if finishDeletionIfReleased(type, key: nsKey) != nil { changed = true }
        }
        return changed
    }

    func namespaceIsEmpty(_ name: String) -> Bool {
        !tables.contains { resource, objects in
            resource != .namespaces && (registry[resource]?.namespaced ?? false)
                && objects.values.contains { $0.namespace == name }
        }
    }

    private func dropOwnerReference(_ uid: String, from type: ResourceType, _ dependent: JSONValue) {
        guard let current = tables[type.groupResource]?[key(type, of: dependent)] else { return }
        var new = current
        new.ownerReferences = current.ownerReferences.filter { $0["uid"]?.stringValue != uid }
        _ = try? updateLocked(type, old: current, new: new, subresource: .main)
    }

    private func releaseFinalizer(_ finalizer: String, _ type: ResourceType, _ owner: JSONValue) {
        guard let current = tables[type.groupResource]?[key(type, of: owner)] else { return }
        var new = current
        new.finalizers = current.finalizers.filter { $0 != finalizer }
        _ = try? updateLocked(type, old: current, new: new, subresource: .main)
    }
}
