import Foundation
import KubeJSON
import Yams

/// YAML documents to `JSONValue` (CRD files, `application/yaml` bodies), via Yams.
enum YAMLConversion {
    /// The first document of a YAML text.
    static func decode(_ text: String) throws -> JSONValue {
        guard let node = try Yams.compose(yaml: text) else { return .null }
        return convert(node)
    }

    /// Every non-empty document of a multi-document YAML text.
    static func decodeAll(_ text: String) throws -> [JSONValue] {
        // Parser.nextRoot throws on a syntax error; compose_all's lazy sequence would swallow it.
        let parser = try Parser(yaml: text)
        var documents: [JSONValue] = []
        while let node = try parser.nextRoot() {
            let value = convert(node)
            if !value.isNull { documents.append(value) }
        }
        return documents
    }

    private static func convert(_ node: Node) -> JSONValue {
        switch node {
        case .mapping(let mapping):
            var members: [String: JSONValue] = [:]
            for (key, value) in mapping { members[key.string ?? ""] = convert(value) }
            return .object(members)
        case .sequence(let sequence):
            return .array(sequence.map(convert))
        case .scalar(let scalar):
            return convertScalar(scalar)
        case .alias:
            return .null
        }
    }

    /// Plain scalars follow the YAML 1.1 core resolution `sigs.k8s.io/yaml` uses for
    /// null/bool/int/float; quoted scalars are always strings.
    private static func convertScalar(_ scalar: Node.Scalar) -> JSONValue {
        let text = scalar.string
        guard scalar.style == .plain else { return .string(text) }
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        default: break
        }
        if let i = Int64(text) { return .int(i) }
        if text.contains(where: { $0.isNumber }), !text.contains(where: { $0.isLetter && $0 != "e" && $0 != "E" }),
            let d = Double(text)
        {
            return .double(d)
        }
        return .string(text)
    }
}
