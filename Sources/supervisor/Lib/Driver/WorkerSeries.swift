import Shared

/// The workers' reported totals, sorted into plain counters and histograms for `/metrics`.
///
/// Workers report a histogram as cumulative counter series (`<name>_bucket{le=…}`,
/// `<name>_sum`, `<name>_count`) so that its totals survive worker restarts like any counter's;
/// exposed as counters, though, Prometheus would not know them for a histogram. Pure: built
/// from the totals, rendered by the caller.
struct WorkerSeries: Equatable {
    /// One histogram series put back together.
    struct Histogram: Equatable {
        var name: String
        var labels: [String: String]
        var bounds: [Double]
        var counts: [UInt64]
        var sum: Double
        var count: UInt64
    }

    private(set) var counters: [WorkerCounterTotals.SeriesKey: Double] = [:]
    private(set) var histograms: [Histogram] = []

    init(_ totals: [WorkerCounterTotals.SeriesKey: Double]) {
        let bases = Set(
            totals.keys.compactMap { key in key.labels["le"] != nil ? Self.base(of: key.name, suffix: "_bucket") : nil }
        )
        var parts: [HistogramKey: Parts] = [:]
        for (key, value) in totals {
            if key.labels["le"] != nil, let base = Self.base(of: key.name, suffix: "_bucket"), bases.contains(base) {
                var labels = key.labels
                let le = labels.removeValue(forKey: "le")!
                parts[HistogramKey(name: base, labels: labels), default: Parts()].buckets[le] = value
            } else if let base = Self.base(of: key.name, suffix: "_sum"), bases.contains(base) {
                parts[HistogramKey(name: base, labels: key.labels), default: Parts()].sum = value
            } else if let base = Self.base(of: key.name, suffix: "_count"), bases.contains(base) {
                parts[HistogramKey(name: base, labels: key.labels), default: Parts()].count = value
            } else {
                counters[key] = value
            }
        }
        histograms = parts.map { key, parts in parts.histogram(key) }.sorted {
            ($0.name, $0.labels.description) < ($1.name, $1.labels.description)
        }
    }

    private struct HistogramKey: Hashable {
        var name: String
        var labels: [String: String]
    }

    private struct Parts {
        var buckets: [String: Double] = [:]
        var sum = 0.0
        var count: Double?

        func histogram(_ key: HistogramKey) -> Histogram {
            let finite = buckets.compactMap { le, value in Double(le).flatMap { $0.isFinite ? ($0, value) : nil } }
                .sorted { $0.0 < $1.0 }
            let total = count ?? buckets["+Inf"] ?? finite.last?.1 ?? 0
            return Histogram(
                name: key.name, labels: key.labels, bounds: finite.map(\.0),
                counts: finite.map { UInt64(max(0, $0.1)) }, sum: sum, count: UInt64(max(0, total)))
        }
    }

    private static func base(of name: String, suffix: String) -> String? {
        name.hasSuffix(suffix) && name.count > suffix.count ? String(name.dropLast(suffix.count)) : nil
    }
}
