import KubeJSON

/// Discovery documents in their legacy (unaggregated) form, which kubectl falls back to when
/// the response is not `application/json;g=apidiscovery.k8s.io;v=v2`.
enum Discovery {
    static let gitVersion = "v1.32.0-kubesim"

    static func respond(_ route: Route, registry: ResourceRegistry, serverAddress: String, accept: String)
        -> APIResponse
    {
        switch route {
        case .root:
            return .json(200, ["paths": ["/api", "/api/v1", "/apis", "/healthz", "/version"]])
        case .health:
            return .raw(200, contentType: "text/plain", Array("ok".utf8))
        case .version:
            return .json(
                200,
                [
                    "major": "1", "minor": "32", "gitVersion": .string(gitVersion), "gitCommit": "kubesim",
                    "gitTreeState": "clean", "buildDate": "2026-01-01T00:00:00Z", "goVersion": "swift",
                    "compiler": "swiftc", "platform": "linux/amd64",
                ])
        case .legacyAPI:
            return .json(
                200,
                [
                    "kind": "APIVersions", "versions": ["v1"],
                    "serverAddressByClientCIDRs": [
                        ["clientCIDR": "0.0.0.0/0", "serverAddress": .string(serverAddress)]
                    ],
                ])
        case .legacyVersion:
            return .json(200, resourceList(group: "", version: "v1", registry: registry))
        case .groupList:
            return .json(
                200, ["kind": "APIGroupList", "apiVersion": "v1", "groups": .array(registry.groups.map(groupDocument))])
        case .group(let name):
            var document = registry.groups.first { $0.name == name }.map(groupDocument) ?? [:]
            document["kind"] = "APIGroup"
            document["apiVersion"] = "v1"
            return .json(200, document)
        case .groupVersion(let group, let version):
            return .json(200, resourceList(group: group, version: version, registry: registry))
        case .openAPI(let rest):
            return OpenAPIDocument.respond(rest, registry: registry)
        case .resource, .selfSubjectAccessReview, .notFound:
            return .error(.notFoundPath())
        }
    }

    static func wantsTable(_ accept: String) -> Bool { accept.contains("as=Table") }

    private static func groupDocument(_ group: (name: String, versions: [String])) -> JSONValue {
        let versions: [JSONValue] = group.versions.map {
            ["groupVersion": .string("\(group.name)/\($0)"), "version": .string($0)]
        }
        return ["name": .string(group.name), "versions": .array(versions), "preferredVersion": versions[0]]
    }

    private static func resourceList(group: String, version: String, registry: ResourceRegistry) -> JSONValue {
        var resources: [JSONValue] = []
        for type in registry.types(group: group, version: version) {
            let verbs: [JSONValue] = [
                "create", "delete", "deletecollection", "get", "list", "patch", "update", "watch",
            ]
            var entry: [String: JSONValue] = [
                "name": .string(type.plural), "singularName": .string(type.singular),
                "namespaced": .bool(type.namespaced),
                "kind": .string(type.kind), "verbs": .array(verbs),
            ]
            if !type.shortNames.isEmpty { entry["shortNames"] = .array(type.shortNames.map(JSONValue.string)) }
            if !type.categories.isEmpty { entry["categories"] = .array(type.categories.map(JSONValue.string)) }
            resources.append(.object(entry))
            if type.hasStatusSubresource {
                resources.append([
                    "name": .string("\(type.plural)/status"), "singularName": "", "namespaced": .bool(type.namespaced),
                    "kind": .string(type.kind), "verbs": ["get", "patch", "update"],
                ])
            }
            if type.behavior == .pod {
                resources.append([
                    "name": "pods/log", "singularName": "", "namespaced": true, "kind": "Pod", "verbs": ["get"],
                ])
                resources.append([
                    "name": "pods/eviction", "singularName": "", "namespaced": true, "group": "policy", "version": "v1",
                    "kind": "Eviction", "verbs": ["create"],
                ])
                resources.append([
                    "name": "pods/binding", "singularName": "", "namespaced": true, "kind": "Binding",
                    "verbs": ["create"],
                ])
            }
        }
        return [
            "kind": "APIResourceList", "apiVersion": "v1",
            "groupVersion": .string(group.isEmpty ? version : "\(group)/\(version)"),
            "resources": .array(resources),
        ]
    }
}
