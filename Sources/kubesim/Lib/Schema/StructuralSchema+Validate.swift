import Foundation
import KubeJSON

/// OpenAPI v3 value validation with the messages kube-openapi's validator produces,
/// e.g. `spec.ttl: Invalid value: "string": spec.ttl in body must be of type integer: "string"`.
extension StructuralSchema {
    func validate(_ value: JSONValue, at path: String) -> [FieldError] {
        if value.isNull {
            if nullable || (type == nil && !isIntOrString) { return [] }
            return [typeError(path, expected: type ?? "string", actual: "null")]
        }
        if let error = checkType(value, path) { return [error] }
        var errors: [FieldError] = []
        if let enumValues, !enumValues.contains(where: { Self.jsonEqual($0, value) }) {
            let supported = enumValues.map(FieldError.renderValue).joined(separator: ", ")
            errors.append(
                .init(
                    kind: .notSupported, field: path, value: FieldError.renderValue(value),
                    detail: "supported values: \(supported)"))
        }
        switch value {
        case .string(let s): errors += validateString(s, path)
        case .int, .double: errors += validateNumber(value, path)
        case .array(let elements): errors += validateArray(elements, path)
        case .object(let members): errors += validateObject(members, path)
        default: break
        }
        for branch in allOf { errors += branch.validate(value, at: path) }
        if !anyOf.isEmpty, !anyOf.contains(where: { $0.validate(value, at: path).isEmpty }) {
            errors.append(.invalid(path, value, "\(path) in body must validate at least one schema (anyOf)"))
        }
        if !oneOf.isEmpty, oneOf.filter({ $0.validate(value, at: path).isEmpty }).count != 1 {
            errors.append(.invalid(path, value, "\(path) in body must validate one and only one schema (oneOf)"))
        }
        return errors
    }

    private static func jsonEqual(_ a: JSONValue, _ b: JSONValue) -> Bool {
        if let x = a.numberValue, let y = b.numberValue { return x == y }
        return a == b
    }

    private func typeError(_ path: String, expected: String, actual: String) -> FieldError {
        // Reported as FieldValueInvalid (not TypeInvalid), as the reference kube-apiserver does.
        FieldError(
            kind: .invalid, field: path, value: "\"\(actual)\"",
            detail: "\(path) in body must be of type \(expected): \"\(actual)\"")
    }

    private func checkType(_ value: JSONValue, _ path: String) -> FieldError? {
        let actual = value.openAPITypeName
        if isIntOrString {
            if case .string = value { return nil }
            if value.intValue != nil { return nil }
            return typeError(path, expected: "integer,string", actual: actual)
        }
        guard let type else { return nil }
        let ok =
            switch type {
            case "integer": value.intValue != nil
            case "number": value.numberValue != nil
            case "string": value.stringValue != nil
            case "boolean": value.boolValue != nil
            case "array": value.arrayValue != nil
            case "object": value.objectValue != nil
            default: true
            }
        return ok ? nil : typeError(path, expected: type, actual: actual)
    }

    private func validateString(_ s: String, _ path: String) -> [FieldError] {
        var errors: [FieldError] = []
        let length = s.count
        if let maxLength, length > maxLength {
            errors.append(.init(kind: .tooLong, field: path, value: nil, detail: "may not be longer than \(maxLength)"))
        }
        if let minLength, length < minLength {
            errors.append(.invalid(path, .string(s), "\(path) in body should be at least \(minLength) chars long"))
        }
        if let pattern, s.range(of: pattern, options: .regularExpression) == nil {
            errors.append(.invalid(path, .string(s), "\(path) in body should match '\(pattern)'"))
        }
        return errors
    }

    private func validateNumber(_ value: JSONValue, _ path: String) -> [FieldError] {
        guard let n = value.numberValue else { return [] }
        var errors: [FieldError] = []
        if let minimum {
            if exclusiveMinimum, n <= minimum {
                errors.append(.invalid(path, value, "\(path) in body should be greater than \(Self.render(minimum))"))
            } else if n < minimum {
                errors.append(
                    .invalid(path, value, "\(path) in body should be greater than or equal to \(Self.render(minimum))"))
            }
        }
        if let maximum {
            if exclusiveMaximum, n >= maximum {
                errors.append(.invalid(path, value, "\(path) in body should be less than \(Self.render(maximum))"))
            } else if n > maximum {
                errors.append(
                    .invalid(path, value, "\(path) in body should be less than or equal to \(Self.render(maximum))"))
            }
        }
        return errors
    }

    private static func render(_ d: Double) -> String { d.rounded() == d ? String(Int64(d)) : String(d) }

    private func validateArray(_ elements: [JSONValue], _ path: String) -> [FieldError] {
        var errors: [FieldError] = []
        if let maxItems, elements.count > maxItems {
            errors.append(
                .init(
                    kind: .tooMany, field: path, value: nil,
                    detail: "\(elements.count): must have at most \(maxItems) items"))
        }
        if let minItems, elements.count < minItems {
            errors.append(.invalid(path, .array(elements), "\(path) in body should have at least \(minItems) items"))
        }
        if let items {
            for (index, element) in elements.enumerated() { errors += items.validate(element, at: "\(path)[\(index)]") }
        }
        return errors
    }

    private func validateObject(_ members: [String: JSONValue], _ path: String) -> [FieldError] {
        var errors: [FieldError] = []
        let prefix = path.isEmpty ? "" : path + "."
        for key in required where members[key] == nil {
            errors.append(.required(prefix + key))
        }
        if let maxProperties, members.count > maxProperties {
            errors.append(
                .init(
                    kind: .tooMany, field: path, value: nil,
                    detail: "\(members.count): must have at most \(maxProperties) items"))
        }
        if let minProperties, members.count < minProperties {
            errors.append(
                .invalid(path, .object(members), "\(path) in body should have at least \(minProperties) properties"))
        }
        for key in members.keys.sorted() {
            guard let member = members[key] else { continue }
            if let schema = properties[key] {
                if path.isEmpty, key == "metadata" || key == "apiVersion" || key == "kind" { continue }
                errors += schema.validate(member, at: prefix + key)
            } else if let schema = additionalProperties {
                errors += schema.validate(member, at: "\(path)[\(key)]")
            }
        }
        return errors
    }
}

extension JSONValue {
    /// The number as a Double, for ints and doubles.
    var numberValue: Double? {
        switch self {
        case .int(let i): Double(i)
        case .double(let d): d
        default: nil
        }
    }

    /// The OpenAPI type name the validator reports for a value.
    var openAPITypeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .int: "integer"
        case .double: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}
