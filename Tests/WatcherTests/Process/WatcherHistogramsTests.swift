import Shared
import Testing

@testable import Watcher

/// The watcher's histograms as the counters it reports: cumulative buckets, `+Inf`, sum, count.
@Suite struct WatcherHistogramsTests {
    static func value(_ samples: [MetricSample], _ name: String, _ labels: [String: String] = [:]) -> Double? {
        samples.first { $0.name == name && $0.labels == labels }?.value
    }

    /// Each observation lands in every bucket whose bound is at or above it.
    @Test(
        arguments: [
            ("4 ms is within 5 ms", 0.004, "0.005", 1.0),
            ("4 ms is above 2.5 ms", 0.004, "0.0025", 0.0),
            ("exactly 25 ms counts in le=0.025", 0.025, "0.025", 1.0),
            ("12 s is above every bound but +Inf", 12.0, "10", 0.0),
            ("12 s is in +Inf", 12.0, "+Inf", 1.0),
        ] as [(String, Double, String, Double)])
    func latencyBuckets(_ name: String, seconds: Double, le: String, expected: Double) {
        var histograms = WatcherHistograms()
        histograms.observe(WatcherHistograms.exitHandlerStartLatency, labels: [:], seconds)
        let samples = histograms.samples
        #expect(
            Self.value(samples, "omjob_exit_handler_start_latency_seconds_bucket", ["le": le]) == expected, "\(name)")
        #expect(Self.value(samples, "omjob_exit_handler_start_latency_seconds_count") == 1)
        #expect(Self.value(samples, "omjob_exit_handler_start_latency_seconds_sum") == seconds)
    }

    /// Durations keep their phase label beside `le`, and sums add up.
    @Test func durationByPhase() {
        var histograms = WatcherHistograms()
        histograms.observe(WatcherHistograms.runDuration, labels: ["phase": "Succeeded"], 40)
        histograms.observe(WatcherHistograms.runDuration, labels: ["phase": "Succeeded"], 200)
        histograms.observe(WatcherHistograms.runDuration, labels: ["phase": "Failed"], 3)
        let samples = histograms.samples
        #expect(Self.value(samples, "omjob_duration_seconds_bucket", ["phase": "Succeeded", "le": "60"]) == 1)
        #expect(Self.value(samples, "omjob_duration_seconds_bucket", ["phase": "Succeeded", "le": "300"]) == 2)
        #expect(Self.value(samples, "omjob_duration_seconds_sum", ["phase": "Succeeded"]) == 240)
        #expect(Self.value(samples, "omjob_duration_seconds_count", ["phase": "Failed"]) == 1)
    }
}
