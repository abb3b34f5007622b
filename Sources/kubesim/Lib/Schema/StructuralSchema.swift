import KubeJSON

/// The parts of a CRD's `openAPIV3Schema` that the API server acts on: pruning, defaulting
/// and validation. Parsed once when the CRD is registered; immutable afterwards.
final class StructuralSchema: Sendable {
    let type: String?
    let properties: [String: StructuralSchema]
    let additionalProperties: StructuralSchema?
    let items: StructuralSchema?
    let required: [String]
    let enumValues: [JSONValue]?
    let defaultValue: JSONValue?
    let nullable: Bool
    let preservesUnknownFields: Bool
    let isEmbeddedResource: Bool
    let isIntOrString: Bool
    let pattern: String?
    let maxLength: Int?
    let minLength: Int?
    let minimum: Double?
    let maximum: Double?
    let exclusiveMinimum: Bool
    let exclusiveMaximum: Bool
    let maxItems: Int?
    let minItems: Int?
    let maxProperties: Int?
    let minProperties: Int?
    /// `allOf`/`anyOf`/`oneOf` branches: value validation only (structural schemas keep types out of them).
    let allOf: [StructuralSchema]
    let anyOf: [StructuralSchema]
    let oneOf: [StructuralSchema]

    init(_ json: JSONValue) {
        type = json["type"]?.stringValue
        var props: [String: StructuralSchema] = [:]
        for (key, value) in json["properties"]?.objectValue ?? [:] { props[key] = StructuralSchema(value) }
        properties = props
        if let additional = json["additionalProperties"], additional.objectValue != nil {
            additionalProperties = StructuralSchema(additional)
        } else {
            additionalProperties = nil
        }
        items = json["items"].flatMap { $0.objectValue != nil ? StructuralSchema($0) : nil }
        required = json["required"]?.arrayValue?.compactMap(\.stringValue) ?? []
        enumValues = json["enum"]?.arrayValue
        defaultValue = json["default"]
        nullable = json["nullable"]?.boolValue ?? false
        // `additionalProperties: true` is only legal next to preserve-unknown-fields; treat it alike.
        preservesUnknownFields =
            json["x-kubernetes-preserve-unknown-fields"]?.boolValue
            ?? (json["additionalProperties"]?.boolValue ?? false)
        isEmbeddedResource = json["x-kubernetes-embedded-resource"]?.boolValue ?? false
        isIntOrString = json["x-kubernetes-int-or-string"]?.boolValue ?? false
        pattern = json["pattern"]?.stringValue
        maxLength = json["maxLength"]?.intValue.map(Int.init)
        minLength = json["minLength"]?.intValue.map(Int.init)
        minimum = json["minimum"].flatMap(Self.number)
        maximum = json["maximum"].flatMap(Self.number)
        exclusiveMinimum = json["exclusiveMinimum"]?.boolValue ?? false
        exclusiveMaximum = json["exclusiveMaximum"]?.boolValue ?? false
        maxItems = json["maxItems"]?.intValue.map(Int.init)
        minItems = json["minItems"]?.intValue.map(Int.init)
        maxProperties = json["maxProperties"]?.intValue.map(Int.init)
        minProperties = json["minProperties"]?.intValue.map(Int.init)
        allOf = json["allOf"]?.arrayValue?.map(StructuralSchema.init) ?? []
        anyOf = json["anyOf"]?.arrayValue?.map(StructuralSchema.init) ?? []
        oneOf = json["oneOf"]?.arrayValue?.map(StructuralSchema.init) ?? []
    }

    private static func number(_ value: JSONValue) -> Double? {
        switch value {
        case .int(let i): Double(i)
        case .double(let d): d
        default: nil
        }
    }

    /// True when the object's keys are declared by `properties`/`additionalProperties`.
    var declaresFields: Bool { !properties.isEmpty || additionalProperties != nil }
}
