import KubeJSON

/// Strategic merge patch for the built-in types kubesim serves: lists declared with a
/// `patchMergeKey` in the Kubernetes Go types merge element-wise by that key, primitive
/// lists with `patchStrategy: merge` (finalizers) take the union, everything else behaves
/// like a merge patch. Supports `$patch: delete|replace`, `$deleteFromPrimitiveList/<field>`,
/// and ignores `$setElementOrder/<field>` and `$retainKeys` (ordering/retention hints).
enum StrategicMergePatch {
    /// field name → merge key, from the `patchMergeKey` tags of core/v1 and meta/v1.
    static let mergeKeys: [String: String] = [
        "containers": "name", "initContainers": "name", "ephemeralContainers": "name", "env": "name",
        "volumes": "name", "volumeMounts": "mountPath", "volumeDevices": "devicePath", "ports": "containerPort",
        "imagePullSecrets": "name", "conditions": "type", "ownerReferences": "uid", "hostAliases": "ip",
        "topologySpreadConstraints": "topologyKey", "resourceClaims": "name", "containerStatuses": "name",
        "initContainerStatuses": "name", "addresses": "type", "taints": "key",
    ]
    /// Primitive lists merged as sets.
    static let setLists: Set<String> = ["finalizers"]

    static func apply(_ patch: JSONValue, to target: JSONValue, path: [String]) throws -> JSONValue {
        guard case .object(let patchMembers) = patch else { return patch }
        if patchMembers["$patch"]?.stringValue == "replace" {
            var replaced = patchMembers
            replaced["$patch"] = nil
            return .object(replaced)
        }
        var result = target.objectValue ?? [:]
        for (key, value) in patchMembers {
            if key == "$patch" || key == "$retainKeys" || key.hasPrefix("$setElementOrder/") { continue }
            if key.hasPrefix("$deleteFromPrimitiveList/") {
                let field = String(key.dropFirst("$deleteFromPrimitiveList/".count))
                let removed = value.arrayValue ?? []
                if let existing = result[field]?.arrayValue {
                    result[field] = .array(existing.filter { !removed.contains($0) })
                }
                continue
            }
            if value.isNull {
                result[key] = nil
                continue
            }
            if value["$patch"]?.stringValue == "delete" {
                result[key] = nil
                continue
            }
            result[key] = try merge(key: key, patch: value, into: result[key], path: path + [key])
        }
        return .object(result)
    }

    private static func merge(key: String, patch: JSONValue, into existing: JSONValue?, path: [String]) throws
        -> JSONValue
    {
        switch patch {
        case .object:
            return try apply(patch, to: existing ?? .object([:]), path: path)
        case .array(let elements):
            if let mergeKey = mergeKeys[key], let current = existing?.arrayValue {
                return .array(try mergeList(elements, into: current, key: mergeKey, path: path))
            }
            if setLists.contains(key), let current = existing?.arrayValue {
                // As normalizeElementOrder: items new to the list first, then the existing ones.
                return .array(elements.filter { !current.contains($0) } + current)
            }
            return .array(elements.filter { $0["$patch"] == nil })
        default:
            return patch
        }
    }

    /// Element-wise merge by key; `$patch: delete` elements remove, `$patch: replace` replaces the list.
    private static func mergeList(_ patchElements: [JSONValue], into current: [JSONValue], key: String, path: [String])
        throws -> [JSONValue]
    {
        if patchElements.contains(where: { $0["$patch"]?.stringValue == "replace" }) {
            return patchElements.filter { $0["$patch"] == nil }
        }
        var result = current
        var added: [JSONValue] = []
        for element in patchElements {
            guard let keyValue = element[key] else {
                throw KubeAPIError.badRequest(
                    "map: \(String(decoding: element.jsonBytes(), as: UTF8.self)) does not contain declared merge key: \(key)"
                )
            }
            let index = result.firstIndex { $0[key] == keyValue }
            if element["$patch"]?.stringValue == "delete" {
                result.removeAll { $0[key] == keyValue }
            } else if let index {
                result[index] = try apply(element, to: result[index], path: path)
            } else if !added.contains(where: { $0[key] == keyValue }) {
                added.append(try apply(element, to: .object([:]), path: path))
            }
        }
        // As normalizeElementOrder: items new to the list first (patch order), then the existing ones.
        return added + result
    }
}
