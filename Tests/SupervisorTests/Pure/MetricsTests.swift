import Testing

@testable import Shared

/// Prometheus text 0.0.4 rendering and worker totals that survive restarts.
@Suite struct MetricsTests {
    @Test func rendersFamiliesSortedWithEscapes() {
        let registry = MetricsRegistry()
        registry.declare("b_total", .counter, help: "Line one\nback\\slash")
        registry.declare("a_gauge", .gauge, help: "A gauge.")
        registry.increment("b_total", labels: ["path": "a\"b\\c\nd"], by: 2)
        registry.set("a_gauge", to: 0.5)
        registry.increment("undeclared_total")
        #expect(
            registry.render() == """
                # HELP a_gauge A gauge.
                # TYPE a_gauge gauge
                a_gauge 0.5
                # HELP b_total Line one\\nback\\\\slash
                # TYPE b_total counter
                b_total{path="a\\"b\\\\c\\nd"} 2

                """)
    }

    @Test func histogramBucketsAreCumulative() {
        let registry = MetricsRegistry()
        registry.declare("rt_seconds", .histogram, help: "RT.", buckets: [0.1, 1])
        for v in [0.05, 0.5, 5] { registry.observe("rt_seconds", v) }
        #expect(
            registry.render().hasSuffix(
                """
                rt_seconds_bucket{le="0.1"} 1
                rt_seconds_bucket{le="1"} 2
                rt_seconds_bucket{le="+Inf"} 3
                rt_seconds_sum 5.55
                rt_seconds_count 3

                """))
    }

    @Test func workerTotalsSurviveRestarts() {
        var totals = WorkerCounterTotals()
        let key = WorkerCounterTotals.SeriesKey(name: "x_total", labels: ["k": "v"])
        totals.report(connection: 1, counters: [MetricSample(name: "x_total", labels: ["k": "v"], value: 5)])
        totals.report(connection: 1, counters: [MetricSample(name: "x_total", labels: ["k": "v"], value: 7)])
        #expect(totals.totals[key] == 7)
        totals.retire(connection: 1)
        totals.report(connection: 2, counters: [MetricSample(name: "x_total", labels: ["k": "v"], value: 3)])
        #expect(totals.totals[key] == 10)
        totals.retire(connection: 2)
        totals.retire(connection: 2)
        #expect(totals.totals[key] == 10)
    }
}
