import KubeJSON

/// Where a request path points.
enum Route: Sendable {
    case root, version, health, legacyAPI, legacyVersion, groupList
    case group(String)
    case groupVersion(String, String)
    case openAPI([String])
    /// `POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews` (`kubectl auth can-i`).
    case selfSubjectAccessReview
    case resource(ResourceRoute)
    case notFound
}

/// A path under a served group version: `/…/namespaces/<ns>/<plural>/<name>/<subresource>`.
struct ResourceRoute: Sendable {
    var type: ResourceType
    var version: String
    var namespace: String?
    var name: String?
    var subresource: String?
}

/// Maps request paths to routes using the current registry.
enum APIRouter {
    static func route(_ segments: [String], registry: ResourceRegistry) -> Route {
        switch segments.first {
        case nil: return .root
        case "version": return segments.count == 1 ? .version : .notFound
        case "healthz", "livez", "readyz": return .health
        case "openapi": return .openAPI(Array(segments.dropFirst()))
        case "api":
            if segments.count == 1 { return .legacyAPI }
            guard segments[1] == "v1" else { return .notFound }
            if segments.count == 2 { return .legacyVersion }
            return resource(group: "", version: "v1", Array(segments.dropFirst(2)), registry)
        case "apis":
            if segments == ["apis", "authorization.k8s.io", "v1", "selfsubjectaccessreviews"] {
                return .selfSubjectAccessReview
            }
            switch segments.count {
            case 1: return .groupList
            case 2: return registry.groups.contains { $0.name == segments[1] } ? .group(segments[1]) : .notFound
            case 3:
                let served = registry.groups.first { $0.name == segments[1] }?.versions.contains(segments[2]) ?? false
                return served ? .groupVersion(segments[1], segments[2]) : .notFound
            default: return resource(group: segments[1], version: segments[2], Array(segments.dropFirst(3)), registry)
            }
        default: return .notFound
        }
    }

    private static func resource(group: String, version: String, _ rest: [String], _ registry: ResourceRegistry)
        -> Route
    {
        var rest = rest
        var namespace: String?
        let namespaceSubresource = rest.count == 3 && ["status", "finalize"].contains(rest[2])
        if rest.first == "namespaces", rest.count >= 3, !namespaceSubresource {
            namespace = rest[1]
            rest.removeFirst(2)
        }
        guard !rest.isEmpty, rest.count <= 3,
            let type = registry.lookup(group: group, version: version, plural: rest[0])
        else { return .notFound }
        if namespace != nil, !type.namespaced { return .notFound }
        return .resource(
            ResourceRoute(
                type: type, version: version, namespace: namespace,
                name: rest.count > 1 ? rest[1] : nil, subresource: rest.count > 2 ? rest[2] : nil))
    }
}
