import Foundation
import KubeJSON

/// Chooses the patch algorithm for a patch request, as the real patch handler does.
enum PatchApplier {
    static func apply(_ patchType: PatchType, patch: JSONValue, to object: JSONValue, type: ResourceType) throws
        -> JSONValue
    {
        switch patchType {
        case .merge:
            guard case .object = patch else {
                throw KubeAPIError.badRequest(
                    "json: cannot unmarshal \(patch.openAPITypeName) into Go value of type map[string]interface {}")
            }
            return MergePatch.apply(patch, to: object)
        case .json:
            guard case .array(let operations) = patch else {
                throw KubeAPIError.badRequest(
                    "json: cannot unmarshal \(patch.openAPITypeName) into Go value of type jsonpatch.Patch")
            }
            return try JSONPatch.apply(operations, to: object, subject: type.subject(object.name))
        case .strategicMerge:
            guard type.behavior != .customResource else {
                throw KubeAPIError(
                    code: 415, reason: "UnsupportedMediaType",
                    message:
                        "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml"
                )
            }
            guard case .object = patch else {
                throw KubeAPIError.badRequest(
                    "json: cannot unmarshal \(patch.openAPITypeName) into Go value of type map[string]interface {}")
            }
            return try StrategicMergePatch.apply(patch, to: object, path: [])
        }
    }
}

/// RFC 7386 JSON merge patch: objects merge recursively, `null` deletes, everything else replaces.
enum MergePatch {
    static func apply(_ patch: JSONValue, to target: JSONValue) -> JSONValue {
        guard case .object(let patchMembers) = patch else { return patch }
        var result = target.objectValue ?? [:]
        for (key, value) in patchMembers {
            if value.isNull {
                result[key] = nil
            } else {
                result[key] = apply(value, to: result[key] ?? .null)
            }
        }
        return .object(result)
    }
}

/// RFC 6902 JSON patch with RFC 6901 pointers.
enum JSONPatch {
    static func apply(_ operations: [JSONValue], to object: JSONValue, subject: ErrorSubject) throws -> JSONValue {
        var document = object
        for operation in operations {
            guard let op = operation["op"]?.stringValue, let path = operation["path"]?.stringValue else {
                throw KubeAPIError.badRequest(
                    "the server rejected our request due to an error in our request: operation missing op or path")
            }
            let pointer = try parsePointer(path)
            do {
                switch op {
                case "add": document = try add(document, pointer, try value(operation))
                case "remove": document = try remove(document, pointer)
                case "replace":
                    _ = try get(document, pointer)
                    document = try add(try remove(document, pointer), pointer, try value(operation))
                case "move":
                    let from = try parsePointer(operation["from"]?.stringValue ?? "")
                    let moved = try get(document, from)
                    document = try add(try remove(document, from), pointer, moved)
                case "copy":
                    document = try add(
                        document, pointer, try get(document, try parsePointer(operation["from"]?.stringValue ?? "")))
                case "test":
                    guard try get(document, pointer) == (try value(operation)) else {
                        throw PatchFailure("testing value \(path) failed")
                    }
                default: throw KubeAPIError.badRequest("Unexpected kind: \(op)")
                }
            } catch let failure as PatchFailure {
                throw KubeAPIError(
                    code: 422, reason: "Invalid",
                    message: "the server rejected our request due to an error in our request",
                    name: subject.name, group: subject.group, kind: subject.kind,
                    causes: [.init(reason: "FieldValueInvalid", message: failure.message, field: "patch")])
            }
        }
        return document
    }

    struct PatchFailure: Error {
        let message: String
        init(_ m: String) { message = m }
    }

    private static func value(_ operation: JSONValue) throws -> JSONValue {
        guard let v = operation["value"] else { throw PatchFailure("missing value") }
        return v
    }

    private static func parsePointer(_ path: String) throws -> [String] {
        if path.isEmpty { return [] }
        guard path.hasPrefix("/") else {
            throw KubeAPIError.badRequest("JSON pointer must be empty or start with a \"/\": \(path)")
        }
        return path.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map {
            $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
        }
    }

    private static func get(_ doc: JSONValue, _ pointer: [String]) throws -> JSONValue {
        var current = doc
        for token in pointer {
            switch current {
            case .object(let m):
                guard let next = m[token] else {
                    throw PatchFailure("doc is missing path: /\(pointer.joined(separator: "/"))")
                }
                current = next
            case .array(let a):
                guard let i = Int(token), a.indices.contains(i) else {
                    throw PatchFailure("doc is missing path: /\(pointer.joined(separator: "/"))")
                }
                current = a[i]
            default: throw PatchFailure("doc is missing path: /\(pointer.joined(separator: "/"))")
            }
        }
        return current
    }

    private static func add(_ doc: JSONValue, _ pointer: [String], _ value: JSONValue) throws -> JSONValue {
        guard let token = pointer.first else { return value }
        let rest = Array(pointer.dropFirst())
        switch doc {
        case .object(var m):
            if rest.isEmpty {
                m[token] = value
            } else {
                guard let child = m[token] else { throw PatchFailure("doc is missing path: \(token)") }
                m[token] = try add(child, rest, value)
            }
            return .object(m)
        case .array(var a):
            let index = token == "-" ? a.count : (Int(token) ?? -1)
            if rest.isEmpty {
                guard index >= 0, index <= a.count else {
                    throw PatchFailure("add operation does not apply: index out of bounds: \(token)")
                }
                a.insert(value, at: index)
            } else {
                guard a.indices.contains(index) else { throw PatchFailure("doc is missing path: \(token)") }
                a[index] = try add(a[index], rest, value)
            }
            return .array(a)
        default: throw PatchFailure("doc is missing path: \(token)")
        }
    }

    private static func remove(_ doc: JSONValue, _ pointer: [String]) throws -> JSONValue {
        guard let token = pointer.first else { return .null }
        let rest = Array(pointer.dropFirst())
        switch doc {
        case .object(var m):
            guard let child = m[token] else {
                throw PatchFailure("Unable to remove nonexistent key: \(token): missing value")
            }
            m[token] = rest.isEmpty ? nil : try remove(child, rest)
            return .object(m)
        case .array(var a):
            guard let i = Int(token), a.indices.contains(i) else {
                throw PatchFailure("Unable to access invalid index: \(token)")
            }
            if rest.isEmpty { a.remove(at: i) } else { a[i] = try remove(a[i], rest) }
            return .array(a)
        default: throw PatchFailure("doc is missing path: \(token)")
        }
    }
}
