import Foundation
import KubeJSON
import Testing

/// CronOMJob history limits enforced by the real gc process.
@Suite(.serialized, .timeLimit(.minutes(5))) struct GCHistoryLimitTests {
    /// successfulJobsHistoryLimit 2, failedJobsHistoryLimit 1: of 5 succeeded and 3 failed runs
    /// the newest 2 and 1 stay, the running run and another CronOMJob's run are untouched; the
    /// numbers hold on later sweeps, and a newer success pushes out exactly the oldest kept one.
    @Test func keepsExactlyTheConfiguredNumbers() async throws {
        try await GCOperatorRun.run { run in
            let cron = try run.createCron("nightly", successful: 2, failed: 1)
            let other = try run.createCron("hourly", successful: 0, failed: 0)
            let now = Date()
            for hour in 1...5 {
                try Self.finished(
                    run, "nightly-s\(hour)", .init(name: "nightly", uid: cron), "Succeeded", now, hoursAgo: 10 - hour)
            }
            for hour in 1...3 {
                try Self.finished(
                    run, "nightly-f\(hour)", .init(name: "nightly", uid: cron), "Failed", now, hoursAgo: 10 - hour)
            }
            try run.createOMJob("nightly-running", owner: (name: "nightly", uid: cron))
            try run.createOMJob("hourly-running", owner: (name: "hourly", uid: other))
            try run.createOMJob("standalone-s")
            try run.recordEnded(omJob: "standalone-s", phase: "Succeeded", completedAt: now.addingTimeInterval(-36_000))

            let expected = [
                "hourly-running", "nightly-f3", "nightly-running", "nightly-s4", "nightly-s5", "standalone-s",
            ]
            let converged = try await gcEventually { try run.omJobNames() == expected }
            #expect(converged, "kept \((try? run.omJobNames()) ?? []):\n\(run.logs.suffix(4000))")

            try await run.waitForSweep(atOrAfter: Date().addingTimeInterval(1))
            #expect(try run.omJobNames() == expected)

            try Self.finished(run, "nightly-s6", .init(name: "nightly", uid: cron), "Succeeded", now, hoursAgo: 0)
            let pushed = try await gcEventually {
                try run.omJobNames() == [
                    "hourly-running", "nightly-f3", "nightly-running", "nightly-s5", "nightly-s6", "standalone-s",
                ]
            }
            #expect(pushed, "kept \((try? run.omJobNames()) ?? []):\n\(run.logs.suffix(4000))")
            // Workers report metrics within WorkerSession.metricsInterval of the writes, not with them.
            let deletedTotal = "omjob_gc_omjobs_deleted_total{reason=\"HistoryLimit\"}"
            let counted = try await gcEventually { try await run.metrics()[deletedTotal] == 6 }
            let reported = try await run.metrics()[deletedTotal]
            #expect(counted, "\(deletedTotal) = \(String(describing: reported))")
        }
    }

    struct Owner {
        var name: String
        var uid: String
    }

    static func finished(
        _ run: GCOperatorRun, _ name: String, _ owner: Owner, _ phase: String, _ now: Date, hoursAgo: Int
    ) throws {
        try run.createOMJob(name, owner: (name: owner.name, uid: owner.uid))
        try run.recordEnded(
            omJob: name, phase: phase, completedAt: now.addingTimeInterval(TimeInterval(-3600 * hoursAgo)))
    }
}
