import Testing

@testable import Shared
@testable import Supervisor

/// Workers' histograms arrive as counter totals and leave `/metrics` as histogram families.
@Suite struct WorkerSeriesTests {
    typealias Key = WorkerCounterTotals.SeriesKey
    static let latency = "omjob_exit_handler_start_latency_seconds"

    static let totals: [Key: Double] = [
        Key(name: latency + "_bucket", labels: ["le": "0.005"]): 7,
        Key(name: latency + "_bucket", labels: ["le": "0.025"]): 9,
        Key(name: latency + "_bucket", labels: ["le": "0.001"]): 2,
        Key(name: latency + "_bucket", labels: ["le": "+Inf"]): 10,
        Key(name: latency + "_sum", labels: [:]): 0.12,
        Key(name: latency + "_count", labels: [:]): 10,
        Key(name: "omjob_duration_seconds_bucket", labels: ["phase": "Failed", "le": "60"]): 1,
        Key(name: "omjob_duration_seconds_bucket", labels: ["phase": "Failed", "le": "+Inf"]): 1,
        Key(name: "omjob_duration_seconds_sum", labels: ["phase": "Failed"]): 42,
        Key(name: "omjob_duration_seconds_count", labels: ["phase": "Failed"]): 1,
        Key(name: "omjob_reconciliations_total", labels: ["status": "success"]): 5,
        // A counter that only looks like part of a histogram stays a counter.
        Key(name: "omjob_retries_count", labels: [:]): 3,
    ]

    @Test func histogramsAreReassembledAndCountersKept() {
        let series = WorkerSeries(Self.totals)
        #expect(
            series.histograms == [
                .init(
                    name: "omjob_duration_seconds", labels: ["phase": "Failed"], bounds: [60], counts: [1], sum: 42,
                    count: 1),
                .init(
                    name: Self.latency, labels: [:], bounds: [0.001, 0.005, 0.025], counts: [2, 7, 9], sum: 0.12,
                    count: 10),
            ])
        #expect(
            series.counters == [
                Key(name: "omjob_reconciliations_total", labels: ["status": "success"]): 5,
                Key(name: "omjob_retries_count", labels: [:]): 3,
            ])
    }

    @Test func theSupervisorRendersThemAsHistogramFamilies() {
        let registry = MetricsRegistry()
        for histogram in WorkerSeries(Self.totals).histograms {
            registry.setHistogram(
                histogram.name, labels: histogram.labels, help: "h", bounds: histogram.bounds,
                counts: histogram.counts, sum: histogram.sum, count: histogram.count)
        }
        let text = registry.render()
        #expect(text.contains("# TYPE \(Self.latency) histogram\n"))
        #expect(
            text.contains(
                """
                \(Self.latency)_bucket{le="0.001"} 2
                \(Self.latency)_bucket{le="0.005"} 7
                \(Self.latency)_bucket{le="0.025"} 9
                \(Self.latency)_bucket{le="+Inf"} 10
                \(Self.latency)_sum 0.12
                \(Self.latency)_count 10
                """))
        #expect(text.contains("omjob_duration_seconds_bucket{phase=\"Failed\",le=\"60\"} 1\n"))
        #expect(!text.contains("# TYPE \(Self.latency)_bucket"))
    }
}
