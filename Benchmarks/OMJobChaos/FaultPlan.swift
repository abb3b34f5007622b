import KubeSim

/// The API server misbehaving while the runs go on: errors, throttling, latency, dropped
/// connections, cut watches and forced 410s on resume. Probabilities are per request.
enum FaultPlan {
    static let rules: [FaultRule] = [
        FaultRule(kind: .serverError, probability: 0.02, code: 503),
        FaultRule(kind: .serverError, verb: "create", probability: 0.02, code: 500),
        FaultRule(kind: .tooManyRequests, probability: 0.01, retryAfterSeconds: 1),
        FaultRule(kind: .latency, probability: 0.05, latencyMilliseconds: 50),
        FaultRule(kind: .reset, probability: 0.003),
        FaultRule(kind: .watchCut, probability: 0.5, afterEvents: 50),
        FaultRule(kind: .watchCut, probability: 0.2, afterSeconds: 3),
        FaultRule(kind: .watchGone, probability: 0.3),
    ]

    static func install(on sim: KubeSimServer) {
        for rule in rules { sim.faults.add(rule) }
    }

    /// Injected faults by kind (only kinds that happened).
    static func injected(_ sim: KubeSimServer) -> [String: Int] {
        FaultRule.Kind.allCases.reduce(into: [:]) { result, kind in
            let count = sim.faults.injectedCount(kind)
            if count > 0 { result[kind.rawValue] = count }
        }
    }
}
