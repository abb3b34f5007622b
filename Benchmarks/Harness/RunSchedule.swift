import KubeSim

/// How long each main pod of a benchmark runs in kubesim's automatic mode: `runSeconds` plus
/// `leadSeconds` plus `spreadSeconds × u(i)` for run index `i`, so that runs in flight end
/// spread over time the way a production cluster sees them instead of all in the same
/// instant. `spreadSeconds == 0` is the burst: every main pod runs exactly `runSeconds`.
public struct RunSchedule: Sendable, Equatable, Encodable {
    /// Seconds every main pod runs at least (and every exit pod runs).
    public var runSeconds: Double
    /// Seconds a spread schedule adds before its first ending, so that submitting the runs
    /// (all at once, itself a burst of work for the operator) is over before endings arrive:
    /// in a production cluster's steady state, new runs arrive at the pace of endings.
    public var leadSeconds: Double
    /// The main pods' extra run time is spread over [0, spreadSeconds).
    public var spreadSeconds: Double

    public init(runSeconds: Double, spreadSeconds: Double, leadSeconds: Double = 0) {
        self.runSeconds = runSeconds
        self.spreadSeconds = spreadSeconds
        self.leadSeconds = spreadSeconds > 0 ? leadSeconds : 0
    }

    /// The golden ratio's fractional part: `i × α mod 1` is the additive-recurrence
    /// low-discrepancy sequence, so every prefix of the runs (100, 1,000, 10,000…) is spread
    /// evenly over [0, 1), the schedule is the same on every run, and neighbouring indices (which
    /// are submitted together) end far apart.
    static let alpha = 0.618_033_988_749_894_9

    /// `burst` or `spread`, as the table and the JSON name the mode.
    public var mode: String { spreadSeconds > 0 ? "spread" : "burst" }

    private enum CodingKeys: String, CodingKey { case mode, runSeconds, leadSeconds, spreadSeconds }

    /// The stored seconds and, for a reader of the JSON, the mode they make.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(mode, forKey: .mode)
        try container.encode(runSeconds, forKey: .runSeconds)
        try container.encode(leadSeconds, forKey: .leadSeconds)
        try container.encode(spreadSeconds, forKey: .spreadSeconds)
    }

    /// The position of run `index` in [0, 1).
    public static func fraction(_ index: Int) -> Double {
        (Double(index) * alpha).truncatingRemainder(dividingBy: 1)
    }

    /// Seconds main pod `index` runs.
    public func mainSeconds(_ index: Int) -> Double {
        spreadSeconds > 0 ? runSeconds + leadSeconds + spreadSeconds * Self.fraction(index) : runSeconds
    }

    /// The main pod's annotations for run `index`: none in a burst (kubesim's policy applies,
    /// as before spreads existed), else `kubesim.io/run-seconds`. The floor's main pod and the
    /// operator's carry the same value for the same index, so both see the same endings.
    public func mainAnnotations(_ index: Int) -> [String: String] {
        spreadSeconds > 0 ? [AutoPolicy.runSecondsAnnotation: String(mainSeconds(index))] : [:]
    }
}
