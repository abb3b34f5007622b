/// Percentiles of a set of durations in milliseconds.
public struct LatencySummary: Sendable, Codable {
    public var count: Int
    public var p50: Double
    public var p95: Double
    public var p99: Double
    public var max: Double

    /// Nearest-rank percentiles; all zero when `values` is empty.
    public init(_ values: [Double]) {
        let sorted = values.sorted()
        count = sorted.count
        func rank(_ p: Double) -> Double {
            guard !sorted.isEmpty else { return 0 }
            return sorted[Swift.max(0, Swift.min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1))]
        }
        p50 = rank(0.50)
        p95 = rank(0.95)
        p99 = rank(0.99)
        max = sorted.last ?? 0
    }
}

extension Duration {
    /// The duration in milliseconds.
    public var milliseconds: Double { Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15 }
}
