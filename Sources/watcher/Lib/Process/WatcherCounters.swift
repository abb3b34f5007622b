import Shared

/// The watcher's counters (totals since start), reported to the supervisor's `/metrics`.
struct WatcherCounters {
    private(set) var reconciliations: [String: Double] = [:]
    private(set) var answers: [String: Double] = [:]
    private(set) var written: [CounterKey: Double] = [:]
    var histograms = WatcherHistograms()

    mutating func reconciled(sent: Int) {
        reconciliations[sent > 0 ? "commands" : "idle", default: 0] += 1
    }

    mutating func answered(_ outcome: String) {
        answers[outcome, default: 0] += 1
    }

    mutating func add(_ keys: [CounterKey]) {
        for key in keys { written[key, default: 0] += 1 }
    }

    var report: MetricsReport {
        MetricsReport(
            counters:
                reconciliations.map {
                    MetricSample(name: "omjob_reconciliations_total", labels: ["status": $0.key], value: $0.value)
                }
                + answers.map {
                    MetricSample(
                        name: "omjob_watcher_command_results_total", labels: ["outcome": $0.key], value: $0.value)
                }
                + written.map { MetricSample(name: $0.key.name, labels: $0.key.labels, value: $0.value) }
                + histograms.samples)
    }
}
