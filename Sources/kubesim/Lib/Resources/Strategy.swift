import KubeJSON

/// Per-type write rules (the real server's `RESTCreateStrategy`/`RESTUpdateStrategy`):
/// defaults applied on create, validation, and what an update may change.
enum Strategy {
    /// Defaults and resets applied to a new object before validation.
    static func prepareForCreate(_ type: ResourceType, _ object: inout JSONValue) {
        switch type.behavior {
        case .pod: PodStrategy.prepareForCreate(&object)
        case .namespace: NamespaceStrategy.prepareForCreate(&object)
        case .customResource: CustomResourceStrategy.prepare(type, &object)
        case .customResourceDefinition: CRDStrategy.prepareForCreate(&object)
        default: break
        }
        // The status subresource owns status: a create cannot set it.
        if type.behavior == .customResource, type.hasStatusSubresource { object.set(["status"], nil) }
    }

    /// Prunes/defaults an updated object (only custom resources transform on update).
    static func prepareForUpdate(_ type: ResourceType, _ object: inout JSONValue) {
        if type.behavior == .customResource { CustomResourceStrategy.prepare(type, &object) }
        if type.behavior == .customResourceDefinition { CRDStrategy.prepareForUpdate(&object) }
    }

    /// Field errors of an object to be stored; `old` is set for updates.
    static func validate(_ type: ResourceType, _ object: JSONValue, old: JSONValue?) -> [FieldError] {
        var errors = MetadataValidation.validate(type, object, old: old)
        switch type.behavior {
        case .pod: errors += PodStrategy.validate(object, old: old)
        case .eventV1: errors += EventStrategy.validateV1(object)
        case .customResource: errors += CustomResourceStrategy.validate(type, object)
        case .customResourceDefinition: errors += CRDStrategy.validate(object)
        default: break
        }
        return errors
    }
}

/// ObjectMeta validation shared by every type.
enum MetadataValidation {
    static func validate(_ type: ResourceType, _ object: JSONValue, old: JSONValue?) -> [FieldError] {
        var errors: [FieldError] = []
        let name = object.name
        if name.isEmpty {
            errors.append(.required("metadata.name", "name or generateName is required"))
        } else {
            let problems =
                type.behavior == .coreEvent
                ? NameValidation.pathSegment(name)
                : (type.nameIsLabel ? NameValidation.label(name) : NameValidation.subdomain(name))
            errors += problems.map { .invalid("metadata.name", .string(name), $0) }
        }
        if type.namespaced, object.namespace.isEmpty { errors.append(.required("metadata.namespace")) }
        for (key, value) in object.labels where !NameValidation.labelValue(value) {
            errors.append(
                .invalid(
                    "metadata.labels", .string(value),
                    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
                ))
            _ = key
        }
        if let old, old.isDeleting {
            let added = Set(object.finalizers).subtracting(old.finalizers)
            if !added.isEmpty {
                errors.append(
                    .forbidden(
                        "metadata.finalizers",
                        "no new finalizers can be added if the object is being deleted, found new finalizers []string{\(added.sorted().map { "\"\($0)\"" }.joined(separator: ", "))}"
                    ))
            }
        }
        return errors
    }
}

/// Namespaces: the `kubernetes` finalizer and phase Active on create.
enum NamespaceStrategy {
    static func prepareForCreate(_ object: inout JSONValue) {
        object.set(["spec", "finalizers"], ["kubernetes"])
        object.set(["status"], ["phase": "Active"])
        var labels = object[path: ["metadata", "labels"]]?.objectValue ?? [:]
        labels["kubernetes.io/metadata.name"] = .string(object.name)
        object.set(["metadata", "labels"], .object(labels))
    }
}

/// events.k8s.io/v1 Event validation (core/v1 events are accepted as the legacy API does).
enum EventStrategy {
    static func validateV1(_ object: JSONValue) -> [FieldError] {
        var errors: [FieldError] = []
        if object["eventTime"] == nil || object["eventTime"]?.isNull == true { errors.append(.required("eventTime")) }
        for field in ["reportingController", "reportingInstance", "action", "reason"]
        where (object[field]?.stringValue ?? "").isEmpty {
            errors.append(.required(field))
        }
        if let type = object["type"]?.stringValue, type != "Normal", type != "Warning" {
            errors.append(
                .init(
                    kind: .notSupported, field: "type", value: "\"\(type)\"",
                    detail: "supported values: \"Normal\", \"Warning\""))
        }
        return errors
    }
}
