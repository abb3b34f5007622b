import KubeJSON

/// The verbs of `/…/<plural>[/<name>[/<subresource>]]`.
extension APIHandler {
    func handleResource(_ route: ResourceRoute, _ request: APIRequest) throws -> APIResponse {
        if request.query["dryRun"].map({ !$0.isEmpty }) ?? false {
            throw KubeAPIError.badRequest("dryRun is not supported by kubesim")
        }
        guard let name = route.name else { return try handleCollection(route, request) }
        switch route.subresource {
        case nil: return try handleObject(route, name, request)
        case "status" where route.type.hasStatusSubresource: return try handleStatus(route, name, request)
        case "log" where route.type.behavior == .pod: return try handleLog(route, name, request)
        case "eviction" where route.type.behavior == .pod: return try handleEviction(route, name, request)
        case "binding" where route.type.behavior == .pod: return try handleBinding(route, name, request)
        default: return .error(.notFoundPath())
        }
    }

    private func handleCollection(_ route: ResourceRoute, _ request: APIRequest) throws -> APIResponse {
        let resource = route.type.groupResource
        switch request.method {
        case "GET":
            let metadataOnly = MetadataOnly.asked(request.headers["accept"] ?? "")
            if request.flag("watch") { return .watch(watchRequest(route, request, metadataOnly: metadataOnly)) }
            if metadataOnly == .object { throw MetadataOnly.listAskedAsObject(route.type) }
            let result = try store.list(resource, namespace: route.namespace, options: listOptions(request))
            return respondList(route, result, request)
        case "POST":
            let body = try decodeBody(request, kind: route.type.kind)
            try checkStrictFields(route, body, request)
            let created = try store.create(resource, namespace: route.namespace, object: body)
            return .json(201, present(created, route))
        case "DELETE":
            let options = try deleteOptions(request)
            let result = try store.list(resource, namespace: route.namespace, options: listOptions(request))
            var items: [JSONValue] = []
            for object in result.items {
                if let outcome = try? store.delete(
                    resource, namespace: object.namespace, name: object.name, options: options)
                {
                    items.append(present(outcome.object, route))
                }
            }
            return .json(
                200,
                listBody(
                    route, items: items, resourceVersion: store.resourceVersion, continueToken: nil, remaining: nil))
        default:
            return .error(.methodNotAllowed)
        }
    }

    private func handleObject(_ route: ResourceRoute, _ name: String, _ request: APIRequest) throws -> APIResponse {
        let resource = route.type.groupResource
        switch request.method {
        case "GET":
            let object = try store.get(resource, namespace: route.namespace, name: name)
            switch MetadataOnly.asked(request.headers["accept"] ?? "") {
            case .object?: return .json(200, MetadataOnly.object(object))
            case .list?: throw MetadataOnly.objectAskedAsList(route.type)
            case nil: break
            }
            if Discovery.wantsTable(request.headers["accept"] ?? "") {
                return .json(
                    200,
                    TableRenderer.table(
                        route.type, version: route.version, objects: [object],
                        resourceVersion: object.resourceVersionString))
            }
            return .json(200, present(object, route))
        case "PUT":
            let existed = (try? store.get(resource, namespace: route.namespace, name: name)) != nil
            let body = try decodeBody(request, kind: route.type.kind)
            try checkStrictFields(route, body, request)
            let updated = try store.update(resource, namespace: route.namespace, name: name, object: body)
            return .json(existed ? 200 : 201, present(updated, route))
        case "PATCH":
            let type = try patchType(request)
            let body = try decodeBody(request, accepting: [request.contentType])
            if type == .merge { try checkStrictFields(route, body, request) }
            let patched = try store.patch(resource, namespace: route.namespace, name: name, type: type, patch: body)
            return .json(200, present(patched, route))
        case "DELETE":
            return deleteResponse(
                route,
                try store.delete(resource, namespace: route.namespace, name: name, options: try deleteOptions(request)))
        default:
            return .error(.methodNotAllowed)
        }
    }

    private func handleStatus(_ route: ResourceRoute, _ name: String, _ request: APIRequest) throws -> APIResponse {
        let resource = route.type.groupResource
        switch request.method {
        case "GET":
            return .json(200, present(try store.get(resource, namespace: route.namespace, name: name), route))
        case "PUT":
            let updated = try store.update(
                resource, namespace: route.namespace, name: name, object: try decodeBody(request), subresource: .status)
            return .json(200, present(updated, route))
        case "PATCH":
            let patched = try store.patch(
                resource, namespace: route.namespace, name: name, type: try patchType(request),
                patch: try decodeBody(request, accepting: [request.contentType]), subresource: .status)
            return .json(200, present(patched, route))
        default:
            return .error(.methodNotAllowed)
        }
    }

    private func deleteResponse(_ route: ResourceRoute, _ outcome: DeleteOutcome) -> APIResponse {
        switch outcome {
        case .pending(let object): return .json(200, present(object, route))
        case .deleted(let object):
            if route.type.returnsDeletedObject { return .json(200, present(object, route)) }
            var details: [String: JSONValue] = [
                "name": .string(object.name), "kind": .string(route.type.plural), "uid": .string(object.uid),
            ]
            if !route.type.group.isEmpty { details["group"] = .string(route.type.group) }
            return .json(
                200,
                [
                    "kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Success",
                    "details": .object(details),
                ])
        }
    }

    /// `fieldValidation=Strict`: undeclared fields of a custom resource are a 400, as the real
    /// server's strict decoding reports them (Warn/Ignore, the default, prune silently).
    private func checkStrictFields(_ route: ResourceRoute, _ body: JSONValue, _ request: APIRequest) throws {
        guard request.query["fieldValidation"] == "Strict", route.type.behavior == .customResource,
            let schema = route.type.schemas[route.version]
        else { return }
        let unknown = schema.unknownFields(in: body)
        guard !unknown.isEmpty else { return }
        let kind = route.type.kind
        throw KubeAPIError.badRequest(
            "\(kind) in version \"\(route.version)\" cannot be handled as a \(kind): strict decoding error: "
                + unknown.map { "unknown field \"\($0)\"" }.joined(separator: ", "))
    }

    /// The object as served at the requested version (custom resources may serve several).
    func present(_ object: JSONValue, _ route: ResourceRoute) -> JSONValue {
        guard route.version != route.type.storageVersion else { return object }
        var copy = object
        copy["apiVersion"] = .string(route.type.apiVersion(route.version))
        return copy
    }

    private func respondList(_ route: ResourceRoute, _ result: ListResult, _ request: APIRequest) -> APIResponse {
        if Discovery.wantsTable(request.headers["accept"] ?? "") {
            var table = TableRenderer.table(
                route.type, version: route.version, objects: result.items,
                resourceVersion: String(result.resourceVersion))
            if let token = result.continueToken { table.set(["metadata", "continue"], .string(token)) }
            return .json(200, table)
        }
        if MetadataOnly.asked(request.headers["accept"] ?? "") == .list {
            var list = listBody(
                route, items: result.items.map(MetadataOnly.object), resourceVersion: result.resourceVersion,
                continueToken: result.continueToken, remaining: result.remainingItemCount)
            list["kind"] = "PartialObjectMetadataList"
            list["apiVersion"] = .string(MetadataOnly.apiVersion)
            return .json(200, list)
        }
        return .json(
            200,
            listBody(
                route, items: result.items.map { present($0, route) }, resourceVersion: result.resourceVersion,
                continueToken: result.continueToken, remaining: result.remainingItemCount))
    }

    private func listBody(
        _ route: ResourceRoute, items: [JSONValue], resourceVersion: Int64, continueToken: String?, remaining: Int?
    ) -> JSONValue {
        var metadata: [String: JSONValue] = ["resourceVersion": .string(String(resourceVersion))]
        if let continueToken { metadata["continue"] = .string(continueToken) }
        if let remaining { metadata["remainingItemCount"] = .int(Int64(remaining)) }
        return [
            "kind": .string(route.type.listKind), "apiVersion": .string(route.type.apiVersion(route.version)),
            "metadata": .object(metadata), "items": .array(items),
        ]
    }

    private func listOptions(_ request: APIRequest) -> ListOptions {
        ListOptions(
            labelSelector: request.query["labelSelector"], fieldSelector: request.query["fieldSelector"],
            limit: request.query["limit"].flatMap { Int($0) }, continueToken: request.query["continue"],
            resourceVersion: request.query["resourceVersion"],
            resourceVersionMatch: request.query["resourceVersionMatch"])
    }

    private func watchRequest(_ route: ResourceRoute, _ request: APIRequest, metadataOnly: MetadataOnly.Asked?)
        -> WatchRequest
    {
        WatchRequest(
            resource: route.type.groupResource, namespace: route.namespace,
            options: WatchOptions(
                resourceVersion: request.query["resourceVersion"], labelSelector: request.query["labelSelector"],
                fieldSelector: request.query["fieldSelector"], allowBookmarks: request.flag("allowWatchBookmarks")),
            timeoutSeconds: request.query["timeoutSeconds"].flatMap { Int64($0) }, metadataOnly: metadataOnly)
    }

    private func deleteOptions(_ request: APIRequest) throws -> DeleteOptions {
        var options = request.body.isEmpty ? DeleteOptions() : DeleteOptions(body: try decodeBody(request))
        if let grace = request.query["gracePeriodSeconds"].flatMap({ Int64($0) }) { options.gracePeriodSeconds = grace }
        if let policy = request.query["propagationPolicy"] { options.propagationPolicy = policy }
        if let orphan = request.query["orphanDependents"] { options.orphanDependents = orphan == "true" }
        return options
    }

    private func patchType(_ request: APIRequest) throws -> PatchType {
        if let type = PatchType(rawValue: request.contentType) { return type }
        if request.contentType == "application/apply-patch+yaml"
            || request.contentType == "application/apply-patch+cbor"
        {
            throw KubeAPIError(
                code: 415, reason: "UnsupportedMediaType",
                message:
                    "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json (server-side apply is not supported by kubesim)"
            )
        }
        throw KubeAPIError(
            code: 415, reason: "UnsupportedMediaType",
            message:
                "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json"
        )
    }
}
