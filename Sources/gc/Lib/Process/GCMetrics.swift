import Foundation
import Shared

/// The gc's counters (totals since this process started; the supervisor keeps totals across
/// restarts) and gauges, reported to the supervisor in a `metrics` message after every sweep.
struct GCMetrics: Sendable {
    /// Pods the gc deleted (a 404 on a repeat is not counted).
    static let podsDeleted = "omjob_gc_pods_deleted_total"
    /// OMJobs the gc deleted, labelled `reason` (`TTL`, `HistoryLimit`).
    static let omJobsDeleted = "omjob_gc_omjobs_deleted_total"
    /// Runs whose cleanup time the gc recorded.
    static let cleanupsRecorded = "omjob_gc_cleanups_recorded_total"
    /// Events the gc created (a 409 on a repeat is not counted).
    static let eventsRecorded = "omjob_gc_events_total"
    /// Writes that failed after the client's retries, labelled `action`.
    static let writeFailures = "omjob_gc_write_failures_total"
    /// Sweeps performed.
    static let sweeps = "omjob_gc_sweeps_total"
    /// Operator finalizers held longer than the bound, right now.
    static let staleFinalizers = "omjob_stale_finalizers"
    /// OMJobs in each TTL state, labelled `state`, as of the last sweep.
    static let runs = "omjob_gc_runs"
    /// The operator-clock time of the last sweep (seconds since the epoch): tests and dashboards
    /// see that the gc has decided at or after a given instant.
    static let lastSweep = "omjob_gc_last_sweep_timestamp_seconds"

    private var counters: [MetricSample: Double] = [:]
    private var gauges: [MetricSample] = []

    /// Counts what one object's writes did.
    mutating func count(_ results: [(GCCommand, GCWriteOutcome)]) {
        for (command, outcome) in results {
            switch (command.action, outcome) {
            case (.deletePod, .done): add(Self.podsDeleted)
            case (.deleteOMJob(let run), .done): add(Self.omJobsDeleted, ["reason": run.reason])
            case (.recordCleanup, .done): add(Self.cleanupsRecorded)
            case (.recordEvent, .done): add(Self.eventsRecorded)
            case (_, .failed): add(Self.writeFailures, ["action": command.action.name])
            default: break
            }
        }
    }

    /// Sets the gauges from a sweep decided at `now`.
    mutating func record(_ sweep: GCSweep, now: Date) {
        add(Self.sweeps)
        gauges = [
            MetricSample(name: Self.staleFinalizers, value: Double(sweep.staleFinalizers.count)),
            MetricSample(name: Self.lastSweep, value: now.timeIntervalSince1970),
        ]
        for state in TTLCleanup.State.allCases {
            gauges.append(
                MetricSample(
                    name: Self.runs, labels: ["state": state.rawValue], value: Double(sweep.states[state] ?? 0)))
        }
    }

    /// The message body for the supervisor.
    var report: MetricsReport {
        let counters = self.counters.map { sample, value in
            MetricSample(name: sample.name, labels: sample.labels, value: value)
        }
        return MetricsReport(
            counters: counters.sorted { ($0.name, $0.labels.description) < ($1.name, $1.labels.description) },
            gauges: gauges)
    }

    private mutating func add(_ name: String, _ labels: [String: String] = [:]) {
        counters[MetricSample(name: name, labels: labels, value: 0), default: 0] += 1
    }
}

extension GCAction {
    /// A short name for labels and logs.
    var name: String {
        switch self {
        case .deletePod: "deletePod"
        case .recordCleanup: "recordCleanup"
        case .deleteOMJob: "deleteOMJob"
        case .recordEvent: "recordEvent"
        }
    }
}
