import KubeJSON

/// Metadata-only answers (meta.k8s.io/v1 PartialObjectMetadata), as v1.20 serves them for an
/// `Accept: application/json;as=PartialObjectMetadata[List];g=meta.k8s.io;v=v1`: each object
/// becomes `{"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1","metadata":…}` with
/// its whole metadata, a list `PartialObjectMetadataList`; a watch's ERROR keeps its Status.
enum MetadataOnly {
    /// What the request's Accept asks for.
    enum Asked: Equatable {
        case object
        case list
    }

    static let apiVersion = "meta.k8s.io/v1"

    /// The metadata-only form the first media type of `accept` asks for, nil for the full object.
    static func asked(_ accept: String) -> Asked? {
        guard let first = accept.split(separator: ",").first else { return nil }
        var params: [String: String] = [:]
        for part in first.split(separator: ";").dropFirst() {
            let kv = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if kv.count == 2 { params[kv[0]] = kv[1] }
        }
        guard params["g"] == "meta.k8s.io" else { return nil }
        switch params["as"] {
        case "PartialObjectMetadata": return .object
        case "PartialObjectMetadataList": return .list
        default: return nil
        }
    }

    /// The object as PartialObjectMetadata.
    static func object(_ object: JSONValue) -> JSONValue {
        [
            "kind": "PartialObjectMetadata", "apiVersion": .string(apiVersion),
            "metadata": object["metadata"] ?? .object([:]),
        ]
    }

    /// v1.20's 406 for a list asked for as one object (`*core.PodList`, or for a custom
    /// resource `*unstructured.UnstructuredList`).
    static func listAskedAsObject(_ type: ResourceType) -> KubeAPIError {
        let go = type.group.isEmpty ? "*core.\(type.listKind)" : "*unstructured.UnstructuredList"
        return KubeAPIError(
            code: 406, reason: "NotAcceptable",
            message: "you requested PartialObjectMetadata, but the requested object is a list (\(go))")
    }

    /// v1.20's 406 for one object asked for as a list.
    static func objectAskedAsList(_ type: ResourceType) -> KubeAPIError {
        let go = type.group.isEmpty ? "*core.\(type.kind)" : "*unstructured.Unstructured"
        return KubeAPIError(
            code: 406, reason: "NotAcceptable",
            message: "you requested PartialObjectMetadataList, but the requested object is not a list (\(go))")
    }
}
