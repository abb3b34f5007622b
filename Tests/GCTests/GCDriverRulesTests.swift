import BrokerProtocol
import Foundation
import KubeAPI
import Models
import Runtime
import Testing

@testable import GC

/// The rules the gc's driver applies around the pure sweep: when to wake without a change, what
/// an API answer means for the rest of an object's list, and what is counted.
@Suite struct GCDriverRulesTests {
    static let now = GCFixtures.date("2026-03-10T10:30:00Z")

    /// A finalizer held since `since` becomes stale at since + bound: the sweep wakes then.
    @Test(
        arguments: [
            ("OMJob deleted 10 min ago, bound 1 h: wake in 50 min", "2026-03-10T10:20:00Z", "2026-03-10T11:20:00Z"),
            ("OMJob deleted 2 h ago: already stale, nothing ahead", "2026-03-10T08:30:00Z", nil),
        ] as [(String, String, String?)])
    func staleFinalizerWake(_ name: String, deletedAt: String, expected: String?) {
        var omJob = GCFixtures.omJob()
        omJob.metadata.deletionTimestamp = deletedAt
        let due = StaleFinalizerReport.report(
            omJobs: [omJob], pods: [], now: Self.now, settings: GCSettings(staleFinalizerSeconds: 3600)
        ).nextDue
        #expect(due == expected.map(GCFixtures.date), "\(name)")
    }

    /// The sweep's wake-up is the earliest of a TTL expiry and a finalizer becoming stale.
    @Test func sweepWakesAtTheEarliestOfTTLAndStaleness() {
        var omJob = GCFixtures.omJob()  // completed 10:00, TTL 1 h: expiry 11:00
        omJob.metadata.finalizers = []
        var pod = GCFixtures.mainPod()
        pod.metadata.finalizers = [OperatorLabels.finalizer]  // held since completion (10:00): stale at 10:45
        let sweep = GCSweep.decide(
            omJobs: [omJob], crons: [], pods: [pod, GCFixtures.exitPod()], now: Self.now,
            settings: GCSettings(staleFinalizerSeconds: 2700))
        #expect(sweep.wakeAt == GCFixtures.date("2026-03-10T10:45:00Z"))
        #expect(sweep.commands.isEmpty)
    }

    static func apiError(_ code: Int, _ reason: String) -> KubeError {
        var status = Status()
        status.code = code
        status.reason = reason
        return .api(status, retryAfter: nil)
    }

    static let deletePod = CommandAction.deletePod(DeletePod(name: "p", uid: "u"))
    static let cleanup = CommandAction.patchOMJobStatus(PatchOMJobStatus(resourceVersion: "1", status: OMJobStatus()))
    static let event = CommandAction.recordEvent(
        RecordEvent(
            event: Event(
                metadata: ObjectMeta(name: "e"), involvedObject: ObjectReference(), reason: "R", message: "m",
                type: "Normal")))

    /// Which outcomes let the object's next write follow: a repeat is fine, a stale status stops.
    /// (How the API's answers become these outcomes is the performer's, tested in ExecutorTests.)
    @Test(
        arguments: [
            ("pod deleted now", deletePod, CommandOutcome.done, true),
            ("pod already gone, or its name reused by a newer pod (UID precondition)", deletePod, .notFound, true),
            ("event recorded before a restart", event, .alreadyExists, true),
            ("status changed since the decision", cleanup, .conflict, false),
            ("OMJob gone before the status write", cleanup, .notFound, false),
            ("forbidden delete", deletePod, .invalid("API 403 Forbidden: "), false),
            (
                "server still failing after the client's retries", cleanup, .failed("API 503 ServiceUnavailable: "),
                false
            ),
        ] as [(String, CommandAction, CommandOutcome, Bool)])
    func nextWriteFollows(_ name: String, action: CommandAction, outcome: CommandOutcome, follows: Bool) {
        #expect(action.holds(after: outcome) == follows, "\(name)")
    }

    /// Only writes made now are counted: repeats after a restart add nothing, failures are labelled.
    @Test func metricsCountOnlyWritesMadeNow() {
        var metrics = GCMetrics()
        let command = { (action: CommandAction) in
            Command(id: "x", key: ObjectKey(namespace: "n", name: "j"), owner: .omJob("u"), action: action)
        }
        metrics.count([
            (command(Self.deletePod), .done), (command(Self.deletePod), .notFound),
            (command(Self.event), .alreadyExists),
            (command(Self.cleanup), .failed("503")),
        ])
        metrics.record(
            GCSweep(commands: [], wakeAt: nil, states: [.waitingForTTL: 2], staleFinalizers: []), now: Self.now)
        let report = metrics.report
        let counters = Dictionary(report.counters.map { ("\($0.name)\($0.labels)", $0.value) }, uniquingKeysWith: +)
        #expect(
            counters == [
                "omjob_gc_pods_deleted_total[:]": 1, "omjob_gc_write_failures_total[\"action\": \"recordCleanup\"]": 1,
                "omjob_gc_sweeps_total[:]": 1,
            ])
        #expect(
            report.gauges.contains(MetricSample(name: "omjob_gc_runs", labels: ["state": "waitingForTTL"], value: 2)))
        #expect(report.gauges.contains(MetricSample(name: "omjob_gc_runs", labels: ["state": "cleaningUp"], value: 0)))
        #expect(
            report.gauges.contains(
                MetricSample(name: "omjob_gc_last_sweep_timestamp_seconds", value: Self.now.timeIntervalSince1970)))
    }
}
