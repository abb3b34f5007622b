import KubeJSON

/// The fields pruning would drop, for `fieldValidation=Strict` (400 "strict decoding error").
extension StructuralSchema {
    /// Dotted paths (`spec.bogus`) of undeclared fields in a custom resource or a merge patch of one.
    func unknownFields(in object: JSONValue) -> [String] {
        var found: [String] = []
        collectUnknown(object, path: "", isResource: true, into: &found)
        return found.sorted()
    }

    private func collectUnknown(_ value: JSONValue, path: String, isResource: Bool, into found: inout [String]) {
        switch value {
        case .object(let members):
            for (key, member) in members {
                let childPath = path.isEmpty ? key : "\(path).\(key)"
                if isResource || isEmbeddedResource, ["apiVersion", "kind"].contains(key) { continue }
                if isResource || isEmbeddedResource, key == "metadata" {
                    for field in (member.objectValue ?? [:]).keys where !Self.objectMetaFields.contains(field) {
                        found.append("\(childPath).\(field)")
                    }
                    continue
                }
                if let schema = properties[key] {
                    schema.collectUnknown(member, path: childPath, isResource: false, into: &found)
                } else if let schema = additionalProperties {
                    schema.collectUnknown(member, path: childPath, isResource: false, into: &found)
                } else if !preservesUnknownFields {
                    found.append(childPath)
                }
            }
        case .array(let elements):
            guard let items else { return }
            for (index, element) in elements.enumerated() {
                items.collectUnknown(element, path: "\(path)[\(index)]", isResource: false, into: &found)
            }
        default:
            break
        }
    }
}
