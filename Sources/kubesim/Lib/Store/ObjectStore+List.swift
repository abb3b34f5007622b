import Foundation
import KubeJSON

/// List with selectors, pagination (limit/continue) and resourceVersion semantics.
extension ObjectStore {
    /// Lists objects of a resource (all namespaces when `namespace` is nil), sorted by key.
    public func list(_ resource: GroupResource, namespace: String?, options: ListOptions = .init()) throws -> ListResult
    {
        try lock.withLock {
            let type = try resolve(resource)
            let labels = try options.labelSelector.map(LabelSelector.parse) ?? .everything
            let fields =
                try options.fieldSelector.map { try FieldSelector.parse($0, supported: supportedFields(type)) }
                ?? .everything
            var listRV = try checkListResourceVersion(type, options)
            var startAfter: String?
            if let token = options.continueToken, !token.isEmpty {
                let decoded = try ContinueToken.decode(token)
                (listRV, startAfter) = (decoded.resourceVersion, decoded.startAfter)
            }
            // Continue pages and exact old versions are served from the snapshot at listRV.
            guard let objects = snapshot(type, at: listRV) else {
                if options.continueToken?.isEmpty == false { throw ContinueToken.expired }
                throw KubeAPIError.expired(
                    "too old resource version: \(listRV) (\((histories[resource]?.compactedThrough ?? 0) + 1))")
            }
            var keys = objects.keys.sorted()
            if let startAfter { keys = Array(keys.drop { $0 <= startAfter }) }
            var items: [JSONValue] = []
            var remaining = 0
            var lastKey: String?
            for objectKey in keys {
                guard let object = objects[objectKey] else { continue }
                if let namespace, !namespace.isEmpty, object.namespace != namespace { continue }
                if !labels.requirements.isEmpty, !labels.matches(object.labels) { continue }
                if !fields.terms.isEmpty, !fields.matches(object.fieldString) { continue }
                if let limit = options.limit, limit > 0, items.count >= limit {
                    remaining += 1
                    continue
                }
                items.append(object)
                lastKey = objectKey
            }
            let token =
                remaining > 0 ? lastKey.map { ContinueToken(resourceVersion: listRV, startAfter: $0).encoded } : nil
            return ListResult(
                items: items, resourceVersion: listRV, continueToken: token,
                remainingItemCount: remaining > 0 ? remaining : nil)
        }
    }

    /// The objects of a resource as they were at `rv`, rebuilt by undoing later changes from the
    /// history; nil when the history no longer reaches back that far (the real server's compaction).
    func snapshot(_ type: ResourceType, at rv: Int64) -> [String: JSONValue]? {
        let resource = type.groupResource
        var objects = tables[resource] ?? [:]
        guard rv < revision else { return objects }
        guard let later = (histories[resource] ?? ChangeHistory()).since(rv) else { return nil }
        for change in later.reversed() {
            let objectKey = key(type, of: change.object)
            switch change.type {
            case .added: objects[objectKey] = nil
            case .modified, .deleted: objects[objectKey] = change.previous
            case .bookmark, .error: break
            }
        }
        return objects
    }

    /// The version to list at: the newest, or an exact older one (`resourceVersionMatch=Exact`).
    /// A version newer than the store is 504, as after the real server's 3 s wait.
    private func checkListResourceVersion(_ type: ResourceType, _ options: ListOptions) throws -> Int64 {
        guard let text = options.resourceVersion, !text.isEmpty, text != "0" else { return revision }
        guard let rv = Int64(text) else {
            throw KubeAPIError.invalid(
                type.subject(""), [.invalid("resourceVersion", .string(text), "must be a valid resource version")])
        }
        if rv > revision {
            throw KubeAPIError(
                code: 504, reason: "Timeout", message: "Too large resource version: \(rv), current: \(revision)",
                causes: [.init(reason: "ResourceVersionTooLarge", message: "Too large resource version", field: "")],
                retryAfterSeconds: 1)
        }
        return options.resourceVersionMatch == "Exact" ? rv : revision
    }

    /// Field paths a fieldSelector may use for this type (others are 400, like the real server).
    func supportedFields(_ type: ResourceType) -> Set<String> {
        var fields: Set<String> = ["metadata.name"]
        if type.namespaced { fields.insert("metadata.namespace") }
        switch type.behavior {
        case .pod:
            fields.formUnion([
                "spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName",
                "status.phase", "status.podIP", "status.nominatedNodeName", "spec.hostNetwork",
            ])
        case .coreEvent:
            fields.formUnion([
                "involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid",
                "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath",
                "reason", "reportingComponent", "source", "type",
            ])
        case .namespace: fields.insert("status.phase")
        case .node: fields.insert("spec.unschedulable")
        default: break
        }
        return fields
    }
}

/// The opaque `continue` token: the list's resourceVersion and the last key returned.
struct ContinueToken: Codable {
    var resourceVersion: Int64
    var startAfter: String

    var encoded: String {
        let data = (try? JSONEncoder().encode(self)) ?? Data()
        return data.base64EncodedString()
    }

    static func decode(_ token: String) throws -> ContinueToken {
        guard let data = Data(base64Encoded: token),
            let decoded = try? JSONDecoder().decode(ContinueToken.self, from: data)
        else {
            throw KubeAPIError.badRequest("continue key is not valid: illegal base64 data or JSON")
        }
        return decoded
    }

    static let expired = KubeAPIError.expired(
        "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list."
    )
}
