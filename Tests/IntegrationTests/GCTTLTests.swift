import Foundation
import KubeJSON
import KubeSim
import Synchronization
import Testing

/// TTL cleanup by the real gc process, with the operator's clock moved by the test.
/// Serialized: each test runs a whole operator, and the machine is shared.
@Suite(.serialized, .timeLimit(.minutes(5))) struct GCTTLTests {
    /// TTL 1 h: a minute before expiry nothing is touched; just after, both pods go, the
    /// cleanup time is recorded (not before the expiry) and exactly one event says so.
    @Test func deletesPodsAtExpiryAndNotBefore() async throws {
        try await GCOperatorRun.run { run in
            let completed = Date().addingTimeInterval(-5)
            let expiry = Self.expiry(completed, ttl: 3600)
            let uid = try run.createOMJob("ttl-a", ttl: 3600)
            try run.createPod(of: "ttl-a", uid: uid, type: "main", phase: "Succeeded")
            try run.createPod(of: "ttl-a", uid: uid, type: "exit-handler", phase: "Succeeded")
            try run.recordEnded(omJob: "ttl-a", phase: "Succeeded", completedAt: completed)

            try run.setClock(at: expiry.addingTimeInterval(-60))
            try await run.waitForSweep(atOrAfter: expiry.addingTimeInterval(-60))
            #expect(try run.podNames(of: "ttl-a") == ["ttl-a-exit", "ttl-a-main"])
            #expect(try run.omJob("ttl-a")[path: ["status", "cleanupTime"]] == nil)

            try run.setClock(at: expiry.addingTimeInterval(1))
            let cleaned = try await gcEventually {
                try run.podNames(of: "ttl-a").isEmpty && run.cleanupTime("ttl-a") != nil
            }
            #expect(cleaned, "pods not cleaned up:\n\(run.logs.suffix(4000))")
            #expect(try run.cleanupTime("ttl-a").map { $0 >= expiry } == true)
            let events = try run.events(reason: "PodsCleanedUp", about: "ttl-a")
            #expect(events.count == 1)
            #expect(events.first?["count"]?.intValue == 1)
        }
    }

    /// A Failed run whose exit-handler pod still runs is not cleaned up past its TTL; once the
    /// exit handler ends, its pods are.
    @Test func waitsForTheExitHandlerPastTheTTL() async throws {
        try await GCOperatorRun.run { run in
            let completed = Date().addingTimeInterval(-5)
            let expiry = Self.expiry(completed, ttl: 600)
            let uid = try run.createOMJob("ttl-b", ttl: 600)
            try run.createPod(of: "ttl-b", uid: uid, type: "main", phase: "Failed")
            try run.createPod(of: "ttl-b", uid: uid, type: "exit-handler", phase: "Running")
            try run.recordEnded(omJob: "ttl-b", phase: "Failed", completedAt: completed)

            try run.setClock(at: expiry.addingTimeInterval(3600))
            try await run.waitForSweep(atOrAfter: expiry.addingTimeInterval(3600))
            #expect(try await run.metrics()["omjob_gc_runs{state=\"waitingForExitHandler\"}"] == 1)
            #expect(try run.podNames(of: "ttl-b") == ["ttl-b-exit", "ttl-b-main"])

            try run.setPhase(pod: "ttl-b-exit", "Succeeded")
            let cleaned = try await gcEventually {
                try run.podNames(of: "ttl-b").isEmpty && run.cleanupTime("ttl-b") != nil
            }
            #expect(cleaned, "pods not cleaned up:\n\(run.logs.suffix(4000))")
            #expect(try run.events(reason: "PodsCleanedUp", about: "ttl-b").count == 1)
        }
    }

    /// The gc is SIGKILLed after deleting the pods and recording the event but before the
    /// cleanup time could be written (kubesim refuses that write meanwhile). Its successor
    /// finishes the job: the cleanup time is recorded, and there is still exactly one event.
    @Test func aRestartedGCFinishesTheCleanupWithoutASecondEvent() async throws {
        try await GCOperatorRun.run { run in
            let refuse = Mutex(true)
            run.sim.interceptor = { request in
                // The cleanup time is written twice (the record's annotation, then the status): refuse both.
                guard request.method == "PATCH",
                    request.path.hasSuffix("/omjobs/ttl-c/status") || request.path.hasSuffix("/omjobs/ttl-c"),
                    refuse.withLock({ $0 })
                else { return nil }
                return .respond(.internalError("injected: OMJob writes refused"))
            }
            let completed = Date().addingTimeInterval(-5)
            let uid = try run.createOMJob("ttl-c", ttl: 60)
            try run.createPod(of: "ttl-c", uid: uid, type: "main", phase: "Succeeded")
            try run.createPod(of: "ttl-c", uid: uid, type: "exit-handler", phase: "Succeeded")
            try run.recordEnded(omJob: "ttl-c", phase: "Succeeded", completedAt: completed)
            try run.setClock(at: Self.expiry(completed, ttl: 60).addingTimeInterval(1))

            let midway = try await gcEventually {
                try run.podNames(of: "ttl-c").isEmpty && run.events(reason: "PodsCleanedUp", about: "ttl-c").count == 1
            }
            #expect(midway, "the gc did not get midway:\n\(run.logs.suffix(4000))")
            #expect(try run.cleanupTime("ttl-c") == nil)
            let first = try #require(try await run.gcPID())
            kill(first, SIGKILL)
            let restarted = await gcEventually { (try? await run.gcPID()).flatMap { $0 }.map { $0 != first } ?? false }
            #expect(restarted, "the supervisor did not restart the gc:\n\(run.logs.suffix(4000))")

            refuse.withLock { $0 = false }
            let recorded = try await gcEventually { try run.cleanupTime("ttl-c") != nil }
            #expect(recorded, "cleanup time never recorded:\n\(run.logs.suffix(4000))")
            let events = try run.events(reason: "PodsCleanedUp", about: "ttl-c")
            #expect(events.count == 1)
            #expect(events.first?["count"]?.intValue == 1)
        }
    }

    /// A cluster without the CronOMJob CRD (only OMJobs installed): TTL cleanup still happens;
    /// the gc does not wait for CronOMJobs it cannot list.
    @Test func cleansUpWithoutTheCronOMJobCRD() async throws {
        let crds = NSTemporaryDirectory() + "/omjob-gc-crds-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: crds, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: crds) }
        try FileManager.default.copyItem(
            atPath: GCOperatorRun.root.appendingPathComponent("deploy/crds/omjob.yaml").path,
            toPath: crds + "/omjob.yaml")
        try await GCOperatorRun.run(crdDirectory: crds) { run in
            let completed = Date().addingTimeInterval(-5)
            let uid = try run.createOMJob("ttl-d", ttl: 60)
            try run.createPod(of: "ttl-d", uid: uid, type: "main", phase: "Succeeded")
            try run.recordEnded(omJob: "ttl-d", phase: "Succeeded", completedAt: completed)
            try run.setClock(at: Self.expiry(completed, ttl: 60).addingTimeInterval(1))
            let cleaned = try await gcEventually {
                try run.podNames(of: "ttl-d").isEmpty && run.cleanupTime("ttl-d") != nil
            }
            #expect(cleaned, "pods not cleaned up:\n\(run.logs.suffix(4000))")
        }
    }

    /// completionTime has second precision: the expiry the gc computes.
    static func expiry(_ completed: Date, ttl: Int) -> Date {
        Date(timeIntervalSince1970: completed.timeIntervalSince1970.rounded(.down) + Double(ttl))
    }
}

extension GCOperatorRun {
    /// The recorded `status.cleanupTime`, parsed.
    /// The recorded cleanup time: the status field, or the record annotation a pruning CRD leaves.
    func cleanupTime(_ name: String) throws -> Date? {
        let omJob = try omJob(name)
        let text =
            omJob[path: ["status", "cleanupTime"]]?.stringValue
            ?? omJob[path: ["metadata", "annotations", "omjob.pipelines.openmetadata.org/cleanup-time"]]?.stringValue
        return text.flatMap { ISO8601DateFormatter().date(from: $0) }
    }

    /// Moves the operator's clock so that it reads `instant` now (and runs on from there).
    func setClock(at instant: Date) throws {
        try setClock(offset: instant.timeIntervalSinceNow)
    }
}
