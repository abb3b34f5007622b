import Synchronization

/// A small registry of counters, gauges and histograms, rendered as Prometheus text 0.0.4.
///
/// Hand-written because no listed library renders Prometheus text without SwiftNIO; it holds
/// a handful of series, so a lock around plain dictionaries is plenty.
public final class MetricsRegistry: Sendable {
    /// A metric family's kind, as the `# TYPE` line spells it.
    public enum Kind: String, Sendable { case counter, gauge, histogram }

    struct Family: Sendable {
        var kind: Kind
        var help: String
        var buckets: [Double]
        var series: [Labels: Series] = [:]
    }

    enum Series: Sendable {
        case value(Double)
        case histogram(counts: [UInt64], sum: Double, count: UInt64)
    }

    /// Label pairs sorted by name, so equal label sets are equal keys.
    struct Labels: Hashable, Sendable, Comparable {
        let pairs: [[String]]
        init(_ labels: [String: String]) { pairs = labels.sorted { $0.key < $1.key }.map { [$0.key, $0.value] } }
        static func < (a: Labels, b: Labels) -> Bool {
            a.pairs.lexicographicallyPrecedes(b.pairs) { $0.lexicographicallyPrecedes($1) }
        }
    }

    let families = Mutex<[String: Family]>([:])

    public init() {}

    /// Declares a family (idempotent); metrics must be declared before use.
    public func declare(_ name: String, _ kind: Kind, help: String, buckets: [Double] = MetricsRegistry.defaultBuckets)
    {
        families.withLock { all in
            if all[name] == nil { all[name] = Family(kind: kind, help: help, buckets: buckets.sorted()) }
        }
    }

    /// Adds `amount` to a counter.
    public func increment(_ name: String, labels: [String: String] = [:], by amount: Double = 1) {
        update(name, labels) { series in
            if case .value(let v) = series { series = .value(v + amount) }
        }
    }

    /// Sets a gauge (or, for totals kept elsewhere, a counter) to `value`.
    public func set(_ name: String, labels: [String: String] = [:], to value: Double) {
        update(name, labels) { $0 = .value(value) }
    }

    /// Records one observation in a histogram.
    public func observe(_ name: String, labels: [String: String] = [:], _ value: Double) {
        let buckets = families.withLock { $0[name]?.buckets ?? [] }
        update(name, labels) { series in
            guard case .histogram(var counts, let sum, let count) = series else { return }
            for (i, bound) in buckets.enumerated() where value <= bound { counts[i] += 1 }
            series = .histogram(counts: counts, sum: sum + value, count: count + 1)
        }
    }

    /// Sets a whole histogram series from cumulative counts kept elsewhere (the workers' totals),
    /// declaring the family with these bucket bounds on first use. `counts[i]` is the count of
    /// observations `<= bounds[i]`; `count` is the `+Inf` bucket.
    public func setHistogram(
        _ name: String, labels: [String: String] = [:], help: String,
        bounds: [Double], counts: [UInt64], sum: Double, count: UInt64
    ) {
        declare(name, .histogram, help: help, buckets: bounds)
        guard families.withLock({ $0[name]?.buckets }) == bounds, counts.count == bounds.count else { return }
        update(name, labels) { $0 = .histogram(counts: counts, sum: sum, count: count) }
    }

    /// Removes every series of a family (for gauges that are rebuilt from scratch).
    public func reset(_ name: String) {
        families.withLock { $0[name]?.series = [:] }
    }

    /// The current value of a counter or gauge series.
    public func value(_ name: String, labels: [String: String] = [:]) -> Double? {
        families.withLock { all in
            if case .value(let v) = all[name]?.series[Labels(labels)] { return v }
            return nil
        }
    }

    private func update(_ name: String, _ labels: [String: String], _ body: (inout Series) -> Void) {
        families.withLock { all in
            guard let kind = all[name]?.kind, let bucketCount = all[name]?.buckets.count else { return }
            let key = Labels(labels)
            // Taken out and put back so neither the dictionary nor the bucket array is copied.
            var series =
                all[name]!.series.removeValue(forKey: key)
                ?? (kind == .histogram
                    ? .histogram(counts: Array(repeating: 0, count: bucketCount), sum: 0, count: 0) : .value(0))
            body(&series)
            all[name]!.series[key] = series
        }
    }

    /// Prometheus' default latency buckets, in seconds.
    public static let defaultBuckets: [Double] = [
        0.000_05, 0.000_1, 0.000_25, 0.000_5, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
    ]
}
