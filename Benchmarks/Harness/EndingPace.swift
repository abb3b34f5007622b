/// How the main pods' endings were spread over time, from kubesim's own records: what tells a
/// burst (every ending within a few milliseconds) from a steady state (endings arriving at a rate).
public struct EndingPace: Sendable, Equatable, Codable {
    /// Main pods that ended.
    public var count: Int
    /// Seconds from the first ending to the last.
    public var spanSeconds: Double
    /// Endings per second over that span (0 with fewer than two endings or no span).
    public var perSecond: Double
    /// The most endings within any window of `window` seconds.
    public var peakInWindow: Int
    /// The window of `peakInWindow`, in seconds.
    public var window: Double
    /// Endings before the first wave of runs (the first `in-flight` submitted at once) had all
    /// been created: those met the submissions' own burst of work, not a steady state.
    public var duringFirstWave: Int

    /// The pace of endings at `seconds` (any order), the last of the first wave created at
    /// `firstWaveCreated` (same origin; nil: unknown, none counted).
    public init(endings seconds: [Double], firstWaveCreated: Double? = nil, window: Double = 0.1) {
        let sorted = seconds.sorted()
        count = sorted.count
        duringFirstWave = firstWaveCreated.map { created in sorted.prefix { $0 < created }.count } ?? 0
        spanSeconds = (sorted.last ?? 0) - (sorted.first ?? 0)
        perSecond = count > 1 && spanSeconds > 0 ? Double(count - 1) / spanSeconds : 0
        self.window = window
        // Two pointers: for each ending, the endings in the window that closes at it.
        var peak = 0
        var first = 0
        for (last, end) in sorted.enumerated() {
            while end - sorted[first] >= window { first += 1 }
            peak = Swift.max(peak, last - first + 1)
        }
        peakInWindow = peak
    }
}
