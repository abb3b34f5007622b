import Foundation
import Models
import Testing

@testable import GC

@Suite struct GCSweepTests {
    /// Two runs, one expired and one not, plus a CronOMJob over its limit: one sweep covers all,
    /// pods reach the right run by owner UID, and the wake-up is the remaining expiry.
    @Test func sweepsEverythingAndWakesAtTheNextExpiry() {
        let expired = GCFixtures.omJob()
        var fresh = GCFixtures.omJob()
        fresh.metadata.name = "om-job-fresh"
        fresh.metadata.uid = "fresh-uid"
        fresh.status?.completionTime = "2026-03-10T10:30:00Z"
        var freshPod = GCFixtures.mainPod()
        freshPod.metadata.name = "om-job-fresh-main"
        freshPod.metadata.ownerReferences?[0].uid = "fresh-uid"
        let cron = HistoryLimitsTests.cron(successful: 1, failed: 1)
        let runs = (0..<3).map { hour in
            var run = HistoryLimitsTests.run(hour, .succeeded)
            run.status?.cleanupTime = "2026-03-10T10:00:00Z"
            return run
        }
        let sweep = GCSweep.decide(
            omJobs: [expired, fresh] + runs, crons: [cron],
            pods: [GCFixtures.mainPod(), GCFixtures.exitPod(), freshPod],
            now: GCFixtures.date("2026-03-10T11:10:00Z"), settings: GCSettings())
        let deletedPods = sweep.commands.compactMap { if case .deletePod(let p) = $0.action { p.name } else { nil } }
        #expect(deletedPods == ["om-job-mysql-pipeline-a1b2c3d4-main", "om-job-mysql-pipeline-a1b2c3d4-exit"])
        let deletedRuns = sweep.commands.compactMap { if case .deleteOMJob(let p) = $0.action { p.uid } else { nil } }
        #expect(deletedRuns == ["run-0", "run-1"])
        #expect(sweep.wakeAt == GCFixtures.date("2026-03-10T11:30:00Z"))
        #expect(sweep.states == [.cleaningUp: 1, .waitingForTTL: 1, .cleanedUp: 3])
        #expect(sweep.staleFinalizers.isEmpty)
        #expect(Set(sweep.commands.map(\.id)).count == sweep.commands.count, "ids are unique")
    }

    /// The gc's informer drops the pod templates (memory); no rule may depend on them.
    @Test func aSweepIsTheSameWithoutThePodTemplates() {
        var failed = HistoryLimitsTests.run(5, .failed)
        failed.status?.completionTime = "2026-03-10T09:00:00Z"
        let omJobs = [GCFixtures.omJob(), failed] + (0..<3).map { HistoryLimitsTests.run($0, .succeeded) }
        #expect(omJobs.allSatisfy { $0.spec?.mainPodSpec != nil }, "the fixtures carry templates")
        let inputs = (
            crons: [HistoryLimitsTests.cron(successful: 1, failed: 1)],
            pods: [GCFixtures.mainPod(), GCFixtures.exitPod()]
        )
        for now in ["2026-03-10T10:30:00Z", "2026-03-10T11:10:00Z", "2026-03-12T00:00:00Z"].map(GCFixtures.date) {
            let full = GCSweep.decide(
                omJobs: omJobs, crons: inputs.crons, pods: inputs.pods, now: now, settings: GCSettings())
            let stripped = GCSweep.decide(
                omJobs: omJobs.map { $0.withoutPodTemplates() }, crons: inputs.crons, pods: inputs.pods,
                now: now, settings: GCSettings())
            #expect(full == stripped, "at \(now)")
            #expect(!full.commands.isEmpty || now < GCFixtures.date("2026-03-10T11:00:00Z"))
        }
    }

    /// The gc keeps other pods' metadata only (a metadata-only watch) and of an exit-handler
    /// pod only its phase: every decision (TTL, waiting for the exit handler, stale
    /// finalizers, wake-ups) is the same as on whole pods.
    @Test(arguments: ["Succeeded", "Failed", "Running", "Pending"])
    func aSweepIsTheSameOnTheGCsPodViews(exitPhase: String) {
        var main = GCFixtures.mainPod()
        main.metadata.finalizers = [OperatorLabels.finalizer]
        var exit = GCFixtures.exitPod(phase: exitPhase)
        exit.metadata.finalizers = [OperatorLabels.finalizer]
        let kept = [PodView(metadata: main.metadata, spec: nil, status: nil), PodPhaseView(exit).pod]
        #expect(kept[1].spec == nil && kept[1].status == PodView.Status(phase: exitPhase))
        let omJobs = [GCFixtures.omJob().withoutPodTemplates()]
        for now in ["2026-03-10T10:30:00Z", "2026-03-10T11:10:00Z", "2026-03-12T00:00:00Z"].map(GCFixtures.date) {
            let whole = GCSweep.decide(
                omJobs: omJobs, crons: [], pods: [main, exit], now: now, settings: GCSettings())
            let views = GCSweep.decide(omJobs: omJobs, crons: [], pods: kept, now: now, settings: GCSettings())
            #expect(whole == views, "at \(now)")
        }
        let late = GCSweep.decide(
            omJobs: omJobs, crons: [], pods: kept, now: GCFixtures.date("2026-03-12T00:00:00Z"),
            settings: GCSettings())
        #expect(!late.staleFinalizers.isEmpty, "the table reaches the stale-finalizer rule")
        #expect(
            late.states[.waitingForExitHandler] == (["Running", "Pending"].contains(exitPhase) ? 1 : nil),
            "the table reaches the exit-handler rule")
    }

    /// The two pod informers' selectors split the labelled pods by type, and together select
    /// every one (`!=` also selects a pod without a type label).
    @Test func thePodSelectorsSplitTheLabelledPods() {
        let name = OperatorLabels.omJobName
        let type = OperatorLabels.podType
        #expect(GCCache.otherPods == "\(name),\(type)!=exit-handler")
        #expect(GCCache.exitHandlerPods == "\(name),\(type)=exit-handler")
    }
}
