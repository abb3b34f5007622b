import Foundation
import KubeJSON
import KubeSim
import Testing

/// CronOMJob scheduling by the real watcher and executors, with the operator's clock moved by
/// the test: runs appear at their slot and not before; Forbid waits; Replace kills.
@Suite(.serialized, .timeLimit(.minutes(5))) struct CronOMJobSchedulingTests {
    /// Daily at T: at T-30 s the CronOMJob is decided (status written) and no run exists; at
    /// T+1 s the run of T exists, owned by the CronOMJob, with a fresh run id substituted into
    /// its env; a day later the next slot's run is created beside it (Allow).
    @Test func aScheduleCreatesRunsOnTime() async throws {
        try await GCOperatorRun.run { run in
            let slot = GCOperatorRun.nextSlot()
            try run.setClock(at: slot.addingTimeInterval(-30))
            let uid = try run.createCron("daily", schedule: GCOperatorRun.dailySchedule(at: slot), policy: "Allow")
            try await run.waitUntil("first decision") {
                try run.cron("daily")[path: ["status", "observedGeneration"]]?.intValue == 1
            }
            #expect(try run.omJobNames().isEmpty)

            try run.setClock(at: slot.addingTimeInterval(1))
            let first = GCOperatorRun.runName("daily", slot)
            try await run.waitUntil("run of the first slot") { try run.omJobNames() == [first] }
            let omJob = try run.omJob(first)
            #expect(
                omJob[path: ["metadata", "annotations", "omjob.pipelines.openmetadata.org/cronomjob"]]?.stringValue
                    == "daily")
            #expect(
                omJob[path: ["metadata", "ownerReferences"]] == nil,
                "the run outlives a CronOMJob deleted by a redeploy")
            #expect(!uid.isEmpty)
            let runID = omJob[path: ["metadata", "labels", "app.kubernetes.io/run-id"]]?.stringValue ?? ""
            #expect(UUID(uuidString: runID) != nil, "run id \(runID)")
            let env = omJob[path: ["spec", "mainPodSpec", "env"]]?.arrayValue?.first?["value"]?.stringValue
            #expect(env == runID)
            try await run.waitUntil("lastScheduleTime") {
                try run.cron("daily")[path: ["status", "lastScheduleTime"]]?.stringValue == GCOperatorRun.time(slot)
            }

            let next = slot.addingTimeInterval(86_400)
            try run.setClock(at: next.addingTimeInterval(1))
            try await run.waitUntil("run of the next slot") {
                try run.omJobNames() == [first, GCOperatorRun.runName("daily", next)].sorted()
            }
        }
    }

    /// Forbid: the next slot comes while the first run's main pod runs: no second run, the
    /// status says why. When the first run has ended (exit handler included), the waiting slot runs.
    @Test func forbidSkipsWhileARunIsActive() async throws {
        try await GCOperatorRun.run { run in
            let slot = GCOperatorRun.nextSlot()
            try run.setClock(at: slot.addingTimeInterval(-30))
            try run.createCron("forbid", schedule: GCOperatorRun.dailySchedule(at: slot), policy: "Forbid")
            try await run.waitUntil("first decision") {
                try run.cron("forbid")[path: ["status", "observedGeneration"]]?.intValue == 1
            }
            try run.setClock(at: slot.addingTimeInterval(1))
            let first = GCOperatorRun.runName("forbid", slot)
            try await run.waitUntil("main pod of the first run") { run.pod("\(first)-main") != nil }
            try run.setRunning("\(first)-main")
            // The watcher must have seen it running before time jumps a day (else: never started).
            try await run.waitUntil("first run Running") {
                try run.omJob(first)[path: ["status", "phase"]]?.stringValue == "Running"
            }

            let next = slot.addingTimeInterval(86_400)
            try run.setClock(at: next.addingTimeInterval(1))
            try await run.waitUntil("Forbid recorded") {
                (try run.cron("forbid")[path: ["status", "message"]]?.stringValue ?? "").contains(
                    "concurrencyPolicy Forbid")
            }
            #expect(try run.omJobNames() == [first])

            try run.terminate("\(first)-main", exitCode: 0)
            let exit = try await run.waitForExitPod(of: first)
            try run.setRunning(exit)
            #expect(try run.omJobNames() == [first], "no second run while the exit handler runs")
            try run.terminate(exit, exitCode: 0)
            try await run.waitUntil("the waiting slot runs") {
                try run.omJobNames() == [first, GCOperatorRun.runName("forbid", next)].sorted()
            }
        }
    }

    /// Replace: the next slot deletes the active run and creates its own; the deleted run's
    /// main pod is stopped and its exit handler still runs (pipelineStatus=failed, Killed).
    @Test func replaceKillsTheActiveRunWhoseExitHandlerStillRuns() async throws {
        try await GCOperatorRun.run { run in
            let slot = GCOperatorRun.nextSlot()
            try run.setClock(at: slot.addingTimeInterval(-30))
            try run.createCron("replace", schedule: GCOperatorRun.dailySchedule(at: slot), policy: "Replace")
            try await run.waitUntil("first decision") {
                try run.cron("replace")[path: ["status", "observedGeneration"]]?.intValue == 1
            }
            try run.setClock(at: slot.addingTimeInterval(1))
            let first = GCOperatorRun.runName("replace", slot)
            try await run.waitUntil("main pod of the first run") { run.pod("\(first)-main") != nil }
            try run.setRunning("\(first)-main")
            // The watcher must have seen it running before time jumps a day (else: never started).
            try await run.waitUntil("first run Running") {
                try run.omJob(first)[path: ["status", "phase"]]?.stringValue == "Running"
            }
            try await run.waitUntil("finalizer on the first run") {
                try !(run.omJob(first)[path: ["metadata", "finalizers"]]?.arrayValue ?? []).isEmpty
            }

            let next = slot.addingTimeInterval(86_400)
            let second = GCOperatorRun.runName("replace", next)
            try run.setClock(at: next.addingTimeInterval(1))
            try await run.waitUntil("the next run") { try run.omJobNames().contains(second) }
            try await run.waitUntil("first run's main pod stopped") {
                run.pod("\(first)-main")?[path: ["metadata", "deletionTimestamp"]] != nil
            }
            try run.terminate("\(first)-main", exitCode: 143, signal: 15)
            let exit = try await run.waitForExitPod(of: first)
            let env = run.pod(exit)?[path: ["spec", "containers"]]?.arrayValue?.first?["env"]?.arrayValue ?? []
            let values = Dictionary(
                env.compactMap { v in v["name"]?.stringValue.map { ($0, v["value"]?.stringValue ?? "") } },
                uniquingKeysWith: { a, _ in a })
            #expect(values["pipelineStatus"] == "failed")
            #expect(values["OMJOB_MAIN_REASON"] == "Killed")
            try run.setRunning(exit)
            try run.terminate(exit, exitCode: 0)
            try await run.waitUntil("the replaced run is gone") { try !run.omJobNames().contains(first) }
            #expect(try run.omJobNames() == [second])
        }
    }
}
