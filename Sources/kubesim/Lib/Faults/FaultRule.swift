import KubeJSON

/// One fault-injection rule: which requests it hits (resource, verb, namespace), how often
/// (probability, at most `count` times), and what it does. Rules are read and written as JSON
/// at `/kubesim/faults` with the field names below.
public struct FaultRule: Sendable, Equatable {
    /// What an injected fault does to the request.
    public enum Kind: String, Sendable, CaseIterable {
        /// Answer with a 5xx Status (`code`, default 500).
        case serverError
        /// Answer 429 TooManyRequests with `Retry-After: retryAfterSeconds`.
        case tooManyRequests
        /// Serve normally after `latencyMilliseconds`.
        case latency
        /// Reset the TCP connection (RST) instead of answering.
        case reset
        /// Serve a watch, then drop its connection after `afterEvents` events or `afterSeconds`.
        case watchCut
        /// Answer a watch that resumes from a resourceVersion with a 410 Expired ERROR event.
        case watchGone
        /// Serve normally, but send the response `chunkBytes` at a time every `chunkIntervalMilliseconds`.
        case slowLoris
    }

    /// Set by kubesim when the rule is added.
    public var id: String
    public var kind: Kind
    /// `pods`, `pods/status`, `omjobs` … or `*` for every request (discovery included).
    public var resource: String
    /// `get`, `list`, `watch`, `create`, `update`, `patch`, `delete`, `deletecollection` or `*`.
    public var verb: String
    /// Only requests in this namespace (nil: any).
    public var namespace: String?
    /// Chance that a matching request is hit (0…1).
    public var probability: Double
    /// Hit at most this many requests (nil: no limit).
    public var count: Int?
    public var enabled: Bool
    public var code: Int
    public var retryAfterSeconds: Int
    public var latencyMilliseconds: Int
    public var afterEvents: Int?
    public var afterSeconds: Double?
    public var chunkBytes: Int
    public var chunkIntervalMilliseconds: Int
    /// Requests this rule has hit so far.
    public internal(set) var injected: Int = 0

    public init(
        kind: Kind, resource: String = "*", verb: String = "*", namespace: String? = nil, probability: Double = 1,
        count: Int? = nil, enabled: Bool = true, code: Int = 500, retryAfterSeconds: Int = 1,
        latencyMilliseconds: Int = 100,
        afterEvents: Int? = nil, afterSeconds: Double? = nil, chunkBytes: Int = 1, chunkIntervalMilliseconds: Int = 20
    ) {
        self.id = ""
        self.kind = kind
        self.resource = resource
        self.verb = verb
        self.namespace = namespace
        self.probability = probability
        self.count = count
        self.enabled = enabled
        self.code = code
        self.retryAfterSeconds = retryAfterSeconds
        self.latencyMilliseconds = latencyMilliseconds
        self.afterEvents = afterEvents
        self.afterSeconds = afterSeconds
        self.chunkBytes = chunkBytes
        self.chunkIntervalMilliseconds = chunkIntervalMilliseconds
    }

    /// True when the rule may hit `target` (ignoring probability and count).
    func matches(_ target: RequestTarget) -> Bool {
        guard enabled, count.map({ injected < $0 }) ?? true else { return false }
        if resource != "*", resource != target.resourcePath { return false }
        if verb != "*", verb != target.verb { return false }
        if let namespace, namespace != target.namespace { return false }
        switch kind {
        case .watchCut: return target.verb == "watch"
        case .watchGone: return target.verb == "watch" && target.resumesWatch
        default: return true
        }
    }
}

extension FaultRule {
    /// Reads a rule from its JSON form; every problem names the field.
    public init(json: JSONValue) throws(FaultRuleError) {
        guard let kindText = json["kind"]?.stringValue else {
            throw .invalid("kind", "required, one of \(Kind.allCases.map(\.rawValue))")
        }
        guard let kind = Kind(rawValue: kindText) else {
            throw .invalid("kind", "must be one of \(Kind.allCases.map(\.rawValue))")
        }
        self.init(kind: kind)
        resource = try json.optionalString("resource") ?? "*"
        verb = try json.optionalString("verb") ?? "*"
        namespace = try json.optionalString("namespace")
        probability = try json.optionalNumber("probability") ?? 1
        guard (0...1).contains(probability) else { throw .invalid("probability", "must be between 0 and 1") }
        count = try json.optionalInt("count")
        enabled = json["enabled"]?.boolValue ?? true
        code = try json.optionalInt("code") ?? (kind == .tooManyRequests ? 429 : 500)
        if kind == .serverError, !(500...599).contains(code) {
            throw .invalid("code", "must be 500…599 for serverError")
        }
        retryAfterSeconds = try json.optionalInt("retryAfterSeconds") ?? 1
        latencyMilliseconds = try json.optionalInt("latencyMilliseconds") ?? 100
        afterEvents = try json.optionalInt("afterEvents")
        afterSeconds = try json.optionalNumber("afterSeconds")
        if kind == .watchCut, afterEvents == nil, afterSeconds == nil {
            throw .invalid("afterEvents", "watchCut needs afterEvents or afterSeconds")
        }
        chunkBytes = max(1, try json.optionalInt("chunkBytes") ?? 1)
        chunkIntervalMilliseconds = max(1, try json.optionalInt("chunkIntervalMilliseconds") ?? 20)
    }

    /// The JSON form (as `GET /kubesim/faults` shows it).
    public var json: JSONValue {
        var object: [String: JSONValue] = [
            "id": .string(id), "kind": .string(kind.rawValue), "resource": .string(resource), "verb": .string(verb),
            "probability": .double(probability), "enabled": .bool(enabled), "injected": .int(Int64(injected)),
        ]
        if let namespace { object["namespace"] = .string(namespace) }
        if let count { object["count"] = .int(Int64(count)) }
        switch kind {
        case .serverError: object["code"] = .int(Int64(code))
        case .tooManyRequests: object["retryAfterSeconds"] = .int(Int64(retryAfterSeconds))
        case .latency: object["latencyMilliseconds"] = .int(Int64(latencyMilliseconds))
        case .watchCut:
            if let afterEvents { object["afterEvents"] = .int(Int64(afterEvents)) }
            if let afterSeconds { object["afterSeconds"] = .double(afterSeconds) }
        case .slowLoris:
            object["chunkBytes"] = .int(Int64(chunkBytes))
            object["chunkIntervalMilliseconds"] = .int(Int64(chunkIntervalMilliseconds))
        case .reset, .watchGone: break
        }
        return .object(object)
    }
}

/// A fault rule that cannot be read, naming the field.
public enum FaultRuleError: Error, Sendable, CustomStringConvertible {
    case invalid(String, String)
    public var description: String {
        switch self {
        case .invalid(let field, let why): "fault rule field \(field): \(why)"
        }
    }
}

extension JSONValue {
    fileprivate func optionalString(_ key: String) throws(FaultRuleError) -> String? {
        guard let value = self[key], !value.isNull else { return nil }
        guard let text = value.stringValue else { throw .invalid(key, "must be a string") }
        return text
    }

    fileprivate func optionalInt(_ key: String) throws(FaultRuleError) -> Int? {
        guard let value = self[key], !value.isNull else { return nil }
        guard let number = value.intValue, number >= 0 else { throw .invalid(key, "must be a non-negative integer") }
        return Int(number)
    }

    fileprivate func optionalNumber(_ key: String) throws(FaultRuleError) -> Double? {
        guard let value = self[key], !value.isNull else { return nil }
        switch value {
        case .int(let i) where i >= 0: return Double(i)
        case .double(let d) where d >= 0: return d
        default: throw .invalid(key, "must be a non-negative number")
        }
    }
}
