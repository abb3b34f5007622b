import KubeJSON

/// A minimal OpenAPI v3 publication: per group version, the PATCH operation of each kind with
/// its `x-kubernetes-group-version-kind` and the `fieldValidation` query parameter. That is what
/// kubectl's query-parameter verifier reads to choose server-side field validation (so it
/// needs no schemas); patch computation then falls back to kubectl's compiled-in types.
/// OpenAPI v2 is not served (404), which kubectl tolerates.
enum OpenAPIDocument {
    static func respond(_ rest: [String], registry: ResourceRegistry) -> APIResponse {
        guard rest.first == "v3" else { return .error(.notFoundPath()) }
        let groupVersions = servedGroupVersions(registry)
        if rest.count == 1 {
            var paths: [String: JSONValue] = [:]
            for (group, version) in groupVersions {
                let path = prefix(group, version)
                paths[path] = ["serverRelativeURL": .string("/openapi/v3/\(path)?hash=\(registry.types.count)")]
            }
            return .json(200, ["paths": .object(paths)])
        }
        let path = rest.dropFirst().joined(separator: "/")
        guard let (group, version) = groupVersions.first(where: { prefix($0.0, $0.1) == path }) else {
            return .error(.notFoundPath())
        }
        return .json(200, document(group: group, version: version, registry: registry))
    }

    private static func prefix(_ group: String, _ version: String) -> String {
        group.isEmpty ? "api/\(version)" : "apis/\(group)/\(version)"
    }

    private static func servedGroupVersions(_ registry: ResourceRegistry) -> [(String, String)] {
        var result: [(String, String)] = [("", "v1")]
        for group in registry.groups { for version in group.versions { result.append((group.name, version)) } }
        return result
    }

    private static func document(group: String, version: String, registry: ResourceRegistry) -> JSONValue {
        var paths: [String: JSONValue] = [:]
        let parameters: JSONValue = [
            ["name": "fieldValidation", "in": "query", "schema": ["type": "string", "uniqueItems": true]],
            ["name": "fieldManager", "in": "query", "schema": ["type": "string", "uniqueItems": true]],
            ["name": "dryRun", "in": "query", "schema": ["type": "string", "uniqueItems": true]],
        ]
        for type in registry.types(group: group, version: version) {
            let base = "/" + prefix(group, version) + (type.namespaced ? "/namespaces/{namespace}" : "")
            let gvk: JSONValue = ["group": .string(group), "version": .string(version), "kind": .string(type.kind)]
            let operation: JSONValue = [
                "x-kubernetes-group-version-kind": gvk, "x-kubernetes-action": "patch",
                "parameters": parameters, "responses": ["200": ["description": "OK"]],
            ]
            paths["\(base)/\(type.plural)/{name}"] = ["patch": operation]
        }
        return [
            "openapi": "3.0.0", "info": ["title": "Kubernetes", "version": .string(Discovery.gitVersion)],
            "paths": .object(paths), "components": ["schemas": [:]],
        ]
    }
}
