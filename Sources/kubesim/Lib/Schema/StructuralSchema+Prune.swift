import KubeJSON

/// Pruning as apiextensions-apiserver does it: fields not declared in the structural schema are
/// dropped, except under `x-kubernetes-preserve-unknown-fields`; `apiVersion`, `kind` and
/// `metadata` survive at the root and in embedded resources, metadata reduced to ObjectMeta.
extension StructuralSchema {
    /// The ObjectMeta fields that survive metadata coercion.
    static let objectMetaFields: Set<String> = [
        "name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation", "creationTimestamp",
        "deletionTimestamp", "deletionGracePeriodSeconds", "labels", "annotations", "ownerReferences", "finalizers",
        "managedFields",
    ]

    /// Prunes a whole custom resource (the schema is its root).
    func pruneResource(_ object: JSONValue) -> JSONValue {
        prune(object, isResource: true)
    }

    func prune(_ value: JSONValue, isResource: Bool = false) -> JSONValue {
        switch value {
        case .object(let members):
            var kept: [String: JSONValue] = [:]
            for (key, member) in members {
                if isResource || isEmbeddedResource, let special = Self.pruneResourceField(key, member) {
                    kept[key] = special
                } else if let schema = properties[key] {
                    kept[key] = schema.prune(member, isResource: false)
                } else if let schema = additionalProperties {
                    kept[key] = schema.prune(member, isResource: false)
                } else if preservesUnknownFields {
                    kept[key] = member
                }
            }
            return .object(kept)
        case .array(let elements):
            guard let items else { return value }
            return .array(elements.map { items.prune($0) })
        default:
            return value
        }
    }

    private static func pruneResourceField(_ key: String, _ member: JSONValue) -> JSONValue? {
        switch key {
        case "apiVersion", "kind": return member
        case "metadata":
            guard case .object(let fields) = member else { return member }
            return .object(fields.filter { objectMetaFields.contains($0.key) })
        default: return nil
        }
    }
}
