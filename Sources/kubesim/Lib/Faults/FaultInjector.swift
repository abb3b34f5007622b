import KubeJSON
import NIOConcurrencyHelpers

/// The fault rules in force and the count of every fault injected. Rules are switched on and
/// off at run time (Swift API or `/kubesim/faults`); the first enabled rule that matches a
/// request, passes its probability draw and has count left, hits it.
public final class FaultInjector: Sendable {
    private struct State {
        var rules: [FaultRule] = []
        var nextID = 1
        var injected: [FaultRule.Kind: Int] = [:]
    }

    private let state = NIOLockedValueBox(State())
    /// Uniform draw in 0..<1 for probabilities; injectable so tests are deterministic.
    private let random: @Sendable () -> Double

    public init(random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }) {
        self.random = random
    }

    /// Adds a rule; returns it with its id.
    @discardableResult
    public func add(_ rule: FaultRule) -> FaultRule {
        state.withLockedValue { state in
            var rule = rule
            if rule.id.isEmpty || state.rules.contains(where: { $0.id == rule.id }) {
                rule.id = "fault-\(state.nextID)"
                state.nextID += 1
            }
            rule.injected = 0
            state.rules.append(rule)
            return rule
        }
    }

    /// Switches a rule on or off; false when there is no such rule.
    @discardableResult
    public func setEnabled(_ id: String, _ enabled: Bool) -> Bool {
        state.withLockedValue { state in
            guard let index = state.rules.firstIndex(where: { $0.id == id }) else { return false }
            state.rules[index].enabled = enabled
            return true
        }
    }

    /// Removes one rule; false when there is no such rule.
    @discardableResult
    public func remove(_ id: String) -> Bool {
        state.withLockedValue { state in
            let before = state.rules.count
            state.rules.removeAll { $0.id == id }
            return state.rules.count != before
        }
    }

    /// Removes every rule (counts of injected faults are kept).
    public func removeAll() { state.withLockedValue { $0.rules.removeAll() } }

    /// The rules with their hit counts.
    public var rules: [FaultRule] { state.withLockedValue { $0.rules } }

    /// Faults injected so far, by kind.
    public func injectedCount(_ kind: FaultRule.Kind) -> Int { state.withLockedValue { $0.injected[kind] ?? 0 } }

    /// Faults injected so far, all kinds.
    public var totalInjected: Int { state.withLockedValue { $0.injected.values.reduce(0, +) } }

    /// What `GET /kubesim/faults` answers.
    var report: JSONValue {
        state.withLockedValue { state in
            var byKind: [String: JSONValue] = [:]
            for kind in FaultRule.Kind.allCases { byKind[kind.rawValue] = .int(Int64(state.injected[kind] ?? 0)) }
            return [
                "rules": .array(state.rules.map(\.json)),
                "injected": ["total": .int(Int64(state.injected.values.reduce(0, +))), "byKind": .object(byKind)],
            ]
        }
    }

    /// Picks the rule that hits this request (counting it), if any.
    func hit(_ target: RequestTarget) -> FaultRule? {
        state.withLockedValue { state in
            for index in state.rules.indices where state.rules[index].matches(target) {
                let rule = state.rules[index]
                if rule.probability < 1, random() >= rule.probability { continue }
                state.rules[index].injected += 1
                state.injected[rule.kind, default: 0] += 1
                return state.rules[index]
            }
            return nil
        }
    }

    /// The interceptor action for a request, or nil to serve it untouched.
    func action(for request: APIRequest) -> InterceptAction? {
        guard let rule = hit(RequestTarget(request)) else { return nil }
        switch rule.kind {
        case .serverError:
            let reason = [503: "ServiceUnavailable", 504: "Timeout"][rule.code] ?? "InternalError"
            return .respond(
                KubeAPIError(
                    code: rule.code, reason: reason, message: "kubesim fault injection (\(rule.id)): \(reason)"))
        case .tooManyRequests:
            return .respond(
                KubeAPIError(
                    code: 429, reason: "TooManyRequests",
                    message: "kubesim fault injection (\(rule.id)): too many requests",
                    retryAfterSeconds: rule.retryAfterSeconds))
        case .latency: return .delay(milliseconds: rule.latencyMilliseconds)
        case .reset: return .reset
        case .watchCut: return .cutWatch(afterEvents: rule.afterEvents, afterSeconds: rule.afterSeconds)
        case .watchGone:
            let rv = request.query["resourceVersion"] ?? ""
            return .watchGone(KubeAPIError.expired("too old resource version: \(rv) (\(rv))"))
        case .slowLoris:
            return .slowLoris(chunkBytes: rule.chunkBytes, intervalMilliseconds: rule.chunkIntervalMilliseconds)
        }
    }
}
