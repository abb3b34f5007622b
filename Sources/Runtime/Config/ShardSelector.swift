import Foundation

/// `OMJOB_SHARD_SELECTOR`: a Kubernetes label selector (`key=value`, `key!=value`,
/// `key in (a,b)`, `key notin (a,b)`, `key`, `!key`, joined by commas) that picks the OMJobs and
/// CronOMJobs of one shard. Parsed here so that a typo is a clear error at start-up instead of a
/// 400 from every list; matched here so that tests and tools apply it exactly as the server does.
public struct ShardSelector: Sendable, Equatable {
    /// One requirement of the selector.
    public enum Requirement: Sendable, Equatable {
        case equals(String, String)
        case notEquals(String, String)
        case isIn(String, Set<String>)
        case notIn(String, Set<String>)
        case exists(String)
        case doesNotExist(String)

        var key: String {
            switch self {
            case .equals(let key, _), .notEquals(let key, _), .isIn(let key, _), .notIn(let key, _), .exists(let key),
                .doesNotExist(let key):
                key
            }
        }

        func matches(_ labels: [String: String]) -> Bool {
            switch self {
            case .equals(let key, let value): labels[key] == value
            // As the server: a missing label is "not equal" and "not in".
            case .notEquals(let key, let value): labels[key] != value
            case .isIn(let key, let values): labels[key].map(values.contains) ?? false
            case .notIn(let key, let values): !(labels[key].map(values.contains) ?? false)
            case .exists(let key): labels[key] != nil
            case .doesNotExist(let key): labels[key] == nil
            }
        }
    }

    /// The selector as written (trimmed): what the informers send as `labelSelector`.
    public let text: String
    public let requirements: [Requirement]

    /// The label keys the selector reads.
    public var keys: [String] { requirements.map(\.key) }

    /// Parses `text`; throws a message naming the first bad requirement.
    public init(_ text: String) throws(ShardSelectorError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw ShardSelectorError(text: text, problem: "it is empty") }
        var requirements: [Requirement] = []
        for part in try Self.split(trimmed) {
            requirements.append(try Self.requirement(part, in: text))
        }
        self.text = trimmed
        self.requirements = requirements
    }

    /// True when every requirement holds for `labels` (nil: no labels).
    public func matches(_ labels: [String: String]?) -> Bool {
        let labels = labels ?? [:]
        return requirements.allSatisfy { $0.matches(labels) }
    }

    /// Splits at commas outside parentheses.
    private static func split(_ text: String) throws(ShardSelectorError) -> [String] {
        var parts: [String] = []
        var current = ""
        var depth = 0
        for character in text {
            switch character {
            case "(": depth += 1
            case ")": depth -= 1
            default: break
            }
            guard depth >= 0, depth <= 1 else {
                throw ShardSelectorError(text: text, problem: "unbalanced parentheses")
            }
            if character == ",", depth == 0 {
                parts.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        guard depth == 0 else { throw ShardSelectorError(text: text, problem: "unbalanced parentheses") }
        parts.append(current)
        return parts.map { $0.trimmingCharacters(in: .whitespaces) }
    }

    private static func requirement(_ part: String, in text: String) throws(ShardSelectorError) -> Requirement {
        func bad(_ problem: String) -> ShardSelectorError {
            ShardSelectorError(text: text, problem: "\"\(part)\": \(problem)")
        }
        guard !part.isEmpty else { throw bad("an empty requirement") }
        if part.hasPrefix("!") {
            let key = String(part.dropFirst()).trimmingCharacters(in: .whitespaces)
            guard isKey(key) else { throw bad("not a label key") }
            return .doesNotExist(key)
        }
        for (op, make) in [("!=", Requirement.notEquals), ("==", Requirement.equals), ("=", Requirement.equals)]
            as [(String, (String, String) -> Requirement)]
        {
            guard let range = part.range(of: op) else { continue }
            let key = String(part[..<range.lowerBound]).trimmingCharacters(in: .whitespaces)
            let value = String(part[range.upperBound...]).trimmingCharacters(in: .whitespaces)
            guard isKey(key) else { throw bad("not a label key: \"\(key)\"") }
            guard isValue(value) else { throw bad("not a label value: \"\(value)\"") }
            return make(key, value)
        }
        let words = part.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        if words.count == 2 {
            let key = String(words[0])
            let rest = words[1].trimmingCharacters(in: .whitespaces)
            for (op, notIn) in [("notin", true), ("in", false)] where rest.hasPrefix(op) {
                let list = rest.dropFirst(op.count).trimmingCharacters(in: .whitespaces)
                guard list.hasPrefix("("), list.hasSuffix(")") else { throw bad("expected \(op) (value, …)") }
                let values = list.dropFirst().dropLast().split(separator: ",", omittingEmptySubsequences: false)
                    .map { $0.trimmingCharacters(in: .whitespaces) }
                guard isKey(key) else { throw bad("not a label key: \"\(key)\"") }
                guard values != [""], values.allSatisfy(isValue) else { throw bad("bad values in \(list)") }
                return notIn ? .notIn(key, Set(values)) : .isIn(key, Set(values))
            }
            throw bad("expected =, ==, !=, in or notin")
        }
        guard isKey(part) else { throw bad("not a label key") }
        return .exists(part)
    }

    /// `[prefix/]name`: a DNS subdomain prefix and a name of at most 63 characters.
    static func isKey(_ key: String) -> Bool {
        let pieces = key.split(separator: "/", omittingEmptySubsequences: false)
        guard pieces.count <= 2, let name = pieces.last, isName(String(name)) else { return false }
        guard pieces.count == 2 else { return true }
        let prefix = pieces[0]
        return !prefix.isEmpty && prefix.count <= 253
            && prefix.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 45 || $0 == 46 }
    }

    /// A label value: empty, or up to 63 alphanumerics, '-', '_', '.', alphanumeric at both ends.
    static func isValue(_ value: String) -> Bool { value.isEmpty || isName(value) }

    private static func isName(_ name: String) -> Bool {
        guard !name.isEmpty, name.count <= 63, let first = name.first, let last = name.last,
            first.isLetter || first.isNumber, last.isLetter || last.isNumber
        else { return false }
        return name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") }
    }
}

/// A `OMJOB_SHARD_SELECTOR` that is not a label selector.
public struct ShardSelectorError: Error, Sendable, Equatable, CustomStringConvertible {
    public let text: String
    public let problem: String
    public var description: String { "OMJOB_SHARD_SELECTOR \"\(text)\" is not a label selector: \(problem)" }
}
