import Shared

/// The watcher's histograms, as cumulative bucket counts reported like counters
/// (`<name>_bucket{le=…}`, `<name>_sum`, `<name>_count`): the supervisor adds them across
/// watcher restarts like any counter, and the sums stay valid Prometheus histogram series.
struct WatcherHistograms {
    /// Upper bounds in seconds per histogram name; a name not listed uses `defaultBuckets`.
    static let buckets: [String: [Double]] = [
        // The targets are 5 ms (p50) and 25 ms (p99): resolution around them.
        exitHandlerStartLatency: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
        // A run lasts from seconds to hours.
        runDuration: [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200, 21600, 86400],
    ]
    static let defaultBuckets = MetricsRegistry.defaultBuckets

    /// From the watcher seeing the change that ends the main pod to the API server's `201` for
    /// the first exit pod (the watch delay before the change reached the watcher is not in it).
    static let exitHandlerStartLatency = "omjob_exit_handler_start_latency_seconds"
    /// A finished run's `completionTime - startTime`, by final phase (the Java operator's metric).
    static let runDuration = "omjob_duration_seconds"

    private struct Series {
        var counts: [Double]
        var sum = 0.0
        var count = 0.0
    }

    private var series: [CounterKey: Series] = [:]

    mutating func observe(_ name: String, labels: [String: String], _ value: Double) {
        let bounds = Self.buckets[name] ?? Self.defaultBuckets
        let key = CounterKey(name, labels)
        var current = series[key] ?? Series(counts: Array(repeating: 0, count: bounds.count))
        for (index, bound) in bounds.enumerated() where value <= bound { current.counts[index] += 1 }
        current.sum += value
        current.count += 1
        series[key] = current
    }

    var samples: [MetricSample] {
        series.flatMap { key, value in
            let bounds = Self.buckets[key.name] ?? Self.defaultBuckets
            var samples = zip(bounds, value.counts).map { bound, count in
                MetricSample(
                    name: key.name + "_bucket", labels: key.labels.merging(["le": Self.format(bound)]) { $1 },
                    value: count)
            }
            samples.append(
                MetricSample(
                    name: key.name + "_bucket", labels: key.labels.merging(["le": "+Inf"]) { $1 }, value: value.count))
            samples.append(MetricSample(name: key.name + "_sum", labels: key.labels, value: value.sum))
            samples.append(MetricSample(name: key.name + "_count", labels: key.labels, value: value.count))
            return samples
        }
    }

    static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    /// `le` as Prometheus clients write it (`0.005`, `1`).
    static func format(_ bound: Double) -> String {
        bound == bound.rounded() ? String(Int(bound)) : String(bound)
    }
}
