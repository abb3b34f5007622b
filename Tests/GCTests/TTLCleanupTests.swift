import Foundation
import Shared
import Testing

@testable import GC

@Suite struct TTLCleanupTests {
    /// One OMJob situation, as a change from the finished fixture, and the verdict.
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var now: String
        var phase: OMJobPhase? = .succeeded
        var ttl: Int?? = .some(3600)
        var completion: String? = "2026-03-10T10:00:00Z"
        var cleanupTime: String?
        var omJobDeleting = false
        var exitPodPhase = "Succeeded"
        var deletingPods: Set<String> = []
        var strangerPod = false
        var deleteOMJob = false
        var state: TTLCleanup.State
        var deletedPods: [String] = []
        var recordsCleanup = false
        var deletesOMJob = false
        var wakeAt: String?
        var testDescription: String { name }
    }

    static let main = "om-job-mysql-pipeline-a1b2c3d4-main"
    static let exit = "om-job-mysql-pipeline-a1b2c3d4-exit"

    static let cases: [Case] = [
        Case(
            name: "running run is left alone", now: "2026-03-12T00:00:00Z", phase: .running, completion: nil,
            state: .notFinished),
        Case(
            name: "exit handler running: not finished", now: "2026-03-12T00:00:00Z", phase: .exitHandlerRunning,
            exitPodPhase: "Running", state: .notFinished),
        Case(
            name: "finished but an exit pod still runs: wait", now: "2026-03-12T00:00:00Z", exitPodPhase: "Running",
            state: .waitingForExitHandler),
        Case(
            name: "finished but an exit pod is still pending: wait", now: "2026-03-12T00:00:00Z", phase: .failed,
            exitPodPhase: "Pending", state: .waitingForExitHandler),
        Case(
            name: "TTL not reached: wake at expiry", now: "2026-03-10T10:59:59Z", state: .waitingForTTL,
            wakeAt: "2026-03-10T11:00:00Z"),
        Case(
            name: "clock set before completion: still waiting", now: "2026-03-10T08:00:00Z", state: .waitingForTTL,
            wakeAt: "2026-03-10T11:00:00Z"),
        Case(
            name: "TTL reached: pods deleted, cleanup recorded", now: "2026-03-10T11:00:00Z", state: .cleaningUp,
            deletedPods: [main, exit], recordsCleanup: true),
        Case(
            name: "failed runs are cleaned up too", now: "2026-03-10T11:30:00Z", phase: .failed, exitPodPhase: "Failed",
            state: .cleaningUp,
            deletedPods: [main, exit], recordsCleanup: true),
        Case(
            name: "no ttl field: the 86400 s default", now: "2026-03-11T09:59:59Z", ttl: .some(nil),
            state: .waitingForTTL, wakeAt: "2026-03-11T10:00:00Z"),
        Case(
            name: "ttl 0: right after completion", now: "2026-03-10T10:00:00Z", ttl: .some(0), state: .cleaningUp,
            deletedPods: [main, exit], recordsCleanup: true),
        Case(
            name: "pods already being deleted are not asked again", now: "2026-03-10T12:00:00Z", deletingPods: [main],
            state: .cleaningUp,
            deletedPods: [exit], recordsCleanup: true),
        Case(
            name: "a pod with our name label but another owner is not ours", now: "2026-03-10T12:00:00Z",
            strangerPod: true, state: .cleaningUp,
            deletedPods: [main, exit], recordsCleanup: true),
        Case(
            name: "cleanup recorded, pods gone: nothing", now: "2026-03-10T12:00:00Z",
            cleanupTime: "2026-03-10T11:00:00Z",
            deletingPods: [main, exit], state: .cleanedUp),
        Case(
            name: "cleanup recorded, a straggler left: delete it, no second record", now: "2026-03-10T12:00:00Z",
            cleanupTime: "2026-03-10T11:00:00Z", deletingPods: [main], state: .cleanedUp, deletedPods: [exit]),
        Case(
            name: "OMJob deletion enabled: only after the cleanup is recorded", now: "2026-03-10T11:00:00Z",
            deleteOMJob: true,
            state: .cleaningUp, deletedPods: [main, exit], recordsCleanup: true),
        Case(
            name: "OMJob deletion enabled and cleanup recorded: delete the OMJob", now: "2026-03-10T12:00:00Z",
            cleanupTime: "2026-03-10T11:00:00Z", deletingPods: [main, exit], deleteOMJob: true, state: .cleanedUp,
            deletesOMJob: true),
        Case(
            name: "OMJob being deleted: the kill path owns it", now: "2026-03-10T12:00:00Z", omJobDeleting: true,
            state: .notFinished),
        Case(
            name: "finished without completionTime: nothing can be computed", now: "2026-03-12T00:00:00Z",
            completion: nil, state: .noCompletionTime),
    ]

    @Test(arguments: cases)
    func decides(_ c: Case) {
        let (omJob, pods) = Self.objects(for: c)
        let outcome = TTLCleanup.decide(
            omJob: omJob, pods: pods, now: GCFixtures.date(c.now),
            settings: GCSettings(deleteOMJobAfterTTL: c.deleteOMJob))
        #expect(outcome.state == c.state)
        let deleted = outcome.commands.compactMap { if case .deletePod(let p) = $0.action { p.name } else { nil } }
        #expect(deleted == c.deletedPods)
        let cleanup = outcome.commands.compactMap { if case .recordCleanup(let p) = $0.action { p } else { nil } }
        #expect(cleanup.count == (c.recordsCleanup ? 1 : 0))
        if let patch = cleanup.first {
            #expect(patch.status.cleanupTime == c.now)
            #expect(patch.resourceVersion == "2048")
            #expect(patch.status.phase == nil, "the merge patch must touch cleanupTime only")
        }
        let events = outcome.commands.compactMap {
            if case .recordEvent(let p) = $0.action { p.event.reason } else { nil }
        }
        #expect(events == (c.recordsCleanup ? ["PodsCleanedUp"] : []))
        let omJobDeletions = outcome.commands.filter { if case .deleteOMJob = $0.action { true } else { false } }
        #expect(omJobDeletions.count == (c.deletesOMJob ? 1 : 0))
        #expect(outcome.wakeAt == c.wakeAt.map(GCFixtures.date))
    }

    /// Pods go first, the event before the status: a crash at any point repeats into no-ops.
    @Test func commandOrderMakesACrashSafe() {
        let outcome = TTLCleanup.decide(
            omJob: GCFixtures.omJob(), pods: [GCFixtures.mainPod(), GCFixtures.exitPod()],
            now: GCFixtures.date("2026-03-10T11:00:00Z"), settings: GCSettings())
        #expect(
            outcome.commands.map { "\($0.action)".prefix(while: { $0 != "(" }) } == [
                "deletePod", "deletePod", "recordEvent", "recordCleanup",
            ])
    }

    /// The gc dies after deleting the pods, before recording: after a restart (and later) it
    /// records once, with the same event name, and then never acts again.
    @Test func restartMidCleanupFinishesWithoutDoubleEvents() {
        var omJob = GCFixtures.omJob()
        var pods = [GCFixtures.mainPod(), GCFixtures.exitPod()]
        let first = TTLCleanup.decide(
            omJob: omJob, pods: pods, now: GCFixtures.date("2026-03-10T11:00:00Z"), settings: GCSettings())
        // Only the pod deletions happened before the crash.
        for i in pods.indices { pods[i].metadata.deletionTimestamp = "2026-03-10T11:00:00Z" }
        let afterRestart = TTLCleanup.decide(
            omJob: omJob, pods: pods, now: GCFixtures.date("2026-03-10T11:05:00Z"), settings: GCSettings())
        let eventNames = { (o: TTLCleanup.Outcome) in
            o.commands.compactMap { if case .recordEvent(let p) = $0.action { p.event.metadata.name } else { nil } }
        }
        #expect(eventNames(afterRestart) == eventNames(first))
        #expect(eventNames(first) == ["om-job-mysql-pipeline-a1b2c3d4.0b6c1e2a.pods-cleaned-up"])
        #expect(afterRestart.commands.allSatisfy { if case .deletePod = $0.action { false } else { true } })
        // Now everything lands; the pods disappear. Nothing more to do, at any later time.
        for command in afterRestart.commands {
            if case .recordCleanup(let p) = command.action { omJob.status?.cleanupTime = p.status.cleanupTime }
        }
        for later in ["2026-03-10T11:06:00Z", "2027-01-01T00:00:00Z"] {
            let outcome = TTLCleanup.decide(omJob: omJob, pods: [], now: GCFixtures.date(later), settings: GCSettings())
            #expect(outcome.commands.isEmpty)
            #expect(outcome.state == .cleanedUp)
        }
    }

    static func objects(for c: Case) -> (OMJob, [PodView]) {
        var omJob = GCFixtures.omJob()
        omJob.status?.phase = c.phase
        omJob.status?.completionTime = c.completion
        omJob.status?.cleanupTime = c.cleanupTime
        if case .some(let ttl) = c.ttl { omJob.spec?.ttlSecondsAfterFinished = ttl }
        if c.omJobDeleting { omJob.metadata.deletionTimestamp = "2026-03-10T11:00:00Z" }
        var pods = [GCFixtures.mainPod(), GCFixtures.exitPod(phase: c.exitPodPhase)]
        for i in pods.indices where c.deletingPods.contains(pods[i].metadata.name ?? "") {
            pods[i].metadata.deletionTimestamp = "2026-03-10T11:00:00Z"
        }
        if c.strangerPod {
            var stranger = GCFixtures.mainPod()
            stranger.metadata.name = "om-job-mysql-pipeline-a1b2c3d4-main-old"
            stranger.metadata.ownerReferences?[0].uid = "an-earlier-omjob-with-the-same-name"
            pods.append(stranger)
        }
        return (omJob, pods)
    }
}
