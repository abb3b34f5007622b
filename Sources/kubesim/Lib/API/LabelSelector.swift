import Foundation

/// A parsed `labelSelector` query (=, ==, !=, in, notin, exists, !key), as labels.Parse reads it.
struct LabelSelector: Sendable, Equatable {
    enum Requirement: Sendable, Equatable {
        case equals(String, String)
        case notEquals(String, String)
        case `in`(String, Set<String>)
        case notIn(String, Set<String>)
        case exists(String)
        case doesNotExist(String)
    }

    var requirements: [Requirement]

    static let everything = LabelSelector(requirements: [])

    func matches(_ labels: [String: String]) -> Bool {
        requirements.allSatisfy { requirement in
            switch requirement {
            case .equals(let k, let v): labels[k] == v
            case .notEquals(let k, let v): labels[k] != v
            case .in(let k, let values): labels[k].map(values.contains) ?? false
            case .notIn(let k, let values): labels[k].map { !values.contains($0) } ?? true
            case .exists(let k): labels[k] != nil
            case .doesNotExist(let k): labels[k] == nil
            }
        }
    }

    /// Parses a selector; throws a BadRequest with the parser's complaint.
    static func parse(_ text: String) throws -> LabelSelector {
        var requirements: [Requirement] = []
        for term in splitTerms(text) {
            let t = term.trimmingCharacters(in: .whitespaces)
            if t.isEmpty { continue }
            requirements.append(try parseTerm(t))
        }
        return LabelSelector(requirements: requirements)
    }

    /// Splits on commas that are not inside `( … )`.
    private static func splitTerms(_ text: String) -> [String] {
        var terms: [String] = []
        var current = ""
        var depth = 0
        for c in text {
            if c == "(" { depth += 1 }
            if c == ")" { depth -= 1 }
            if c == ",", depth == 0 {
                terms.append(current)
                current = ""
                continue
            }
            current.append(c)
        }
        terms.append(current)
        return terms
    }

    private static func parseTerm(_ t: String) throws -> Requirement {
        if t.hasPrefix("!") { return .doesNotExist(try key(String(t.dropFirst()))) }
        if let r = t.range(of: "!=") {
            return .notEquals(try key(String(t[..<r.lowerBound])), try value(String(t[r.upperBound...])))
        }
        if let r = t.range(of: "==") {
            return .equals(try key(String(t[..<r.lowerBound])), try value(String(t[r.upperBound...])))
        }
        if let r = t.range(of: "=") {
            return .equals(try key(String(t[..<r.lowerBound])), try value(String(t[r.upperBound...])))
        }
        for (op, notIn) in [(" notin ", true), (" in ", false)] {
            if let r = t.range(of: op) {
                let k = try key(String(t[..<r.lowerBound]))
                var rest = t[r.upperBound...].trimmingCharacters(in: .whitespaces)
                guard rest.hasPrefix("("), rest.hasSuffix(")") else { throw syntax(t, "expected '('") }
                rest = String(rest.dropFirst().dropLast())
                let values = Set(try rest.split(separator: ",").map { try value(String($0)) })
                return notIn ? .notIn(k, values) : .in(k, values)
            }
        }
        return .exists(try key(t))
    }

    private static func key(_ raw: String) throws -> String {
        let k = raw.trimmingCharacters(in: .whitespaces)
        guard !k.isEmpty, k.allSatisfy({ $0.isLetter || $0.isNumber || "-_./".contains($0) }) else {
            throw syntax(raw, "invalid label key")
        }
        return k
    }

    private static func value(_ raw: String) throws -> String {
        let v = raw.trimmingCharacters(in: .whitespaces)
        guard NameValidation.labelValue(v) else { throw syntax(raw, "invalid label value") }
        return v
    }

    private static func syntax(_ term: String, _ why: String) -> KubeAPIError {
        .badRequest("unable to parse requirement: \(why): \"\(term)\"")
    }
}

/// A parsed `fieldSelector` (`=`, `==`, `!=` on the fields the real server indexes).
struct FieldSelector: Sendable, Equatable {
    struct Term: Sendable, Equatable {
        var path: String
        var value: String
        var negated: Bool
    }
    var terms: [Term]

    static let everything = FieldSelector(terms: [])

    static func parse(_ text: String, supported: Set<String>) throws -> FieldSelector {
        var terms: [Term] = []
        for raw in text.split(separator: ",") {
            let t = String(raw).trimmingCharacters(in: .whitespaces)
            let (op, negated) = t.contains("!=") ? ("!=", true) : (t.contains("==") ? ("==", false) : ("=", false))
            guard let r = t.range(of: op) else {
                throw KubeAPIError.badRequest("invalid selector: '\(t)'; can't understand '\(t)'")
            }
            let path = String(t[..<r.lowerBound]).trimmingCharacters(in: .whitespaces)
            guard supported.contains(path) else {
                throw KubeAPIError.badRequest("field label not supported: \(path)")
            }
            terms.append(
                Term(
                    path: path, value: String(t[r.upperBound...]).trimmingCharacters(in: .whitespaces), negated: negated
                ))
        }
        return FieldSelector(terms: terms)
    }

    func matches(_ fieldValue: (String) -> String) -> Bool {
        terms.allSatisfy { ($0.negated) != (fieldValue($0.path) == $0.value) }
    }
}
