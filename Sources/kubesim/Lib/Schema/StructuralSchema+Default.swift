import KubeJSON

/// Structural defaulting: `null` in a non-nullable field is removed first, then every absent
/// property with a `default` gets (a copy of) it, recursively, like apiextensions-apiserver.
extension StructuralSchema {
    func applyDefaults(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(var members):
            for (key, schema) in properties {
                if let present = members[key], present.isNull, !schema.nullable { members[key] = nil }
                if members[key] == nil, let defaultValue = schema.defaultValue { members[key] = defaultValue }
            }
            for (key, member) in members {
                if let schema = properties[key] {
                    members[key] = schema.applyDefaults(member)
                } else if let schema = additionalProperties {
                    members[key] = schema.applyDefaults(member)
                }
            }
            return .object(members)
        case .array(let elements):
            guard let items else { return value }
            return .array(elements.map { items.applyDefaults($0) })
        default:
            return value
        }
    }
}
