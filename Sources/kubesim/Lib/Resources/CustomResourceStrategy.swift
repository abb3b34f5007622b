import KubeJSON

/// Custom resources: structural pruning, defaulting and schema validation of the stored version.
enum CustomResourceStrategy {
    static func prepare(_ type: ResourceType, _ object: inout JSONValue) {
        guard let schema = type.schemas[type.storageVersion] else { return }
        object = schema.applyDefaults(schema.pruneResource(object))
    }

    static func validate(_ type: ResourceType, _ object: JSONValue) -> [FieldError] {
        guard let schema = type.schemas[type.storageVersion] else { return [] }
        return schema.validate(object, at: "")
    }
}

/// CustomResourceDefinitions: validation of the definition and the ResourceType it serves.
enum CRDStrategy {
    static func prepareForCreate(_ crd: inout JSONValue) {
        prepareForUpdate(&crd)
    }

    /// Status is what an established CRD reports (names accepted, Established), kept in sync.
    static func prepareForUpdate(_ crd: inout JSONValue) {
        let names = crd[path: ["spec", "names"]] ?? [:]
        var accepted = names
        if accepted["singular"] == nil {
            accepted["singular"] = .string((names["kind"]?.stringValue ?? "").lowercased())
        }
        if accepted["listKind"] == nil { accepted["listKind"] = .string((names["kind"]?.stringValue ?? "") + "List") }
        let storage = (crd[path: ["spec", "versions"]]?.arrayValue ?? []).filter { $0["storage"]?.boolValue == true }
            .compactMap { $0["name"] }
        let condition: (String, String) -> JSONValue = { type, reason in
            [
                "type": .string(type), "status": "True", "reason": .string(reason), "message": "",
                "lastTransitionTime": "1970-01-01T00:00:00Z",
            ]
        }
        crd["status"] = [
            "acceptedNames": accepted,
            "conditions": [
                condition("NamesAccepted", "NoConflicts"), condition("Established", "InitialNamesAccepted"),
            ],
            "storedVersions": .array(storage),
        ]
    }

    static func validate(_ crd: JSONValue) -> [FieldError] {
        var errors: [FieldError] = []
        let group = crd[path: ["spec", "group"]]?.stringValue ?? ""
        let plural = crd[path: ["spec", "names", "plural"]]?.stringValue ?? ""
        if group.isEmpty { errors.append(.required("spec.group")) }
        if plural.isEmpty { errors.append(.required("spec.names.plural")) }
        if (crd[path: ["spec", "names", "kind"]]?.stringValue ?? "").isEmpty {
            errors.append(.required("spec.names.kind"))
        }
        if !group.isEmpty, !plural.isEmpty, crd.name != "\(plural).\(group)" {
            errors.append(.invalid("metadata.name", .string(crd.name), "must be spec.names.plural+\".\"+spec.group"))
        }
        let scope = crd[path: ["spec", "scope"]]?.stringValue ?? ""
        if scope != "Namespaced", scope != "Cluster" {
            errors.append(
                .init(
                    kind: .notSupported, field: "spec.scope", value: "\"\(scope)\"",
                    detail: "supported values: \"Cluster\", \"Namespaced\""))
        }
        let versions = crd[path: ["spec", "versions"]]?.arrayValue ?? []
        if versions.isEmpty {
            errors.append(.required("spec.versions", "must have exactly one version marked as storage version"))
        }
        if !versions.isEmpty, versions.filter({ $0["storage"]?.boolValue == true }).count != 1 {
            errors.append(
                .invalid("spec.versions", .array(versions), "must have exactly one version marked as storage version"))
        }
        return errors
    }

    /// The ResourceType a CRD serves: storage version first, then the other served versions.
    static func resourceType(_ crd: JSONValue) -> ResourceType {
        let spec = crd["spec"] ?? [:]
        let names = spec["names"] ?? [:]
        let versions = (spec["versions"]?.arrayValue ?? []).filter { $0["served"]?.boolValue ?? true }
        let ordered = versions.sorted {
            ($0["storage"]?.boolValue == true ? 0 : 1) < ($1["storage"]?.boolValue == true ? 0 : 1)
        }
        let kind = names["kind"]?.stringValue ?? ""
        var type = ResourceType(
            group: spec["group"]?.stringValue ?? "", versions: ordered.compactMap { $0["name"]?.stringValue },
            kind: kind,
            plural: names["plural"]?.stringValue ?? "", singular: names["singular"]?.stringValue ?? kind.lowercased(),
            namespaced: spec["scope"]?.stringValue == "Namespaced",
            shortNames: names["shortNames"]?.arrayValue?.compactMap(\.stringValue) ?? [],
            categories: names["categories"]?.arrayValue?.compactMap(\.stringValue) ?? [],
            hasStatusSubresource: ordered.first?[path: ["subresources", "status"]] != nil, behavior: .customResource)
        for version in ordered {
            guard let name = version["name"]?.stringValue else { continue }
            if let schema = version[path: ["schema", "openAPIV3Schema"]] {
                type.schemas[name] = StructuralSchema(schema)
            }
            type.printerColumns[name] = version["additionalPrinterColumns"]?.arrayValue ?? []
        }
        return type
    }
}
