/// Totals of workers' counters that survive worker restarts.
///
/// Each worker reports its counters as totals since it started; a restarted worker starts
/// again from zero. So the supervisor keeps, per counter, the sum over workers that have gone
/// (`retired`) plus the latest report of each live connection.
public struct WorkerCounterTotals: Sendable, Equatable {
    /// Identifies a series: name plus sorted labels.
    public struct SeriesKey: Hashable, Sendable, Comparable {
        public var name: String
        public var labels: [String: String]

        public static func < (a: SeriesKey, b: SeriesKey) -> Bool {
            (a.name, a.labels.sorted { $0.key < $1.key }.description) < (
                b.name, b.labels.sorted { $0.key < $1.key }.description
            )
        }
    }

    private var retired: [SeriesKey: Double] = [:]
    private var live: [Int: [SeriesKey: Double]] = [:]

    public init() {}

    /// A connection's latest report replaces its previous one.
    public mutating func report(connection: Int, counters: [MetricSample]) {
        var latest = live[connection] ?? [:]
        for sample in counters {
            latest[SeriesKey(name: sample.name, labels: sample.labels)] = sample.value
        }
        live[connection] = latest
    }

    /// The connection's process is gone: its last totals become permanent.
    public mutating func retire(connection: Int) {
        guard let last = live.removeValue(forKey: connection) else { return }
        for (key, value) in last { retired[key, default: 0] += value }
    }

    /// Current totals per series.
    public var totals: [SeriesKey: Double] {
        var sum = retired
        for counters in live.values {
            for (key, value) in counters { sum[key, default: 0] += value }
        }
        return sum
    }
}
