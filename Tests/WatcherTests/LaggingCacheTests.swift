import Foundation
import Shared
import Testing

@testable import Watcher

/// The watcher's cache may lag the API server by seconds (a cut watch reconnecting with backoff).
/// Endings concluded from time over the cache (never started, node lost, deleted without a report)
/// are written only behind a fresh read, and a pod judged stuck is deleted only as it was seen.
/// The first rows are the states omjob-chaos found: a completed main pod ended as
/// NeverStarted/ContainerCreating (or /Pending), and an exit pod that had succeeded counted as never
/// started, replaced by a second attempt and deleted.
@Suite struct LaggingCacheTests {
    /// What the cache holds, when the decision looks, and what the API server holds by then.
    struct Lag: CustomTestStringConvertible, Sendable {
        var cached: String
        var now: String
        var truth: String
        var recorded: String
        var testDescription: String { "cache: \(cached), server: \(truth)" }
    }

    static let mainPodLags: [Lag] = [
        Lag(
            cached: "container-creating-past-deadline", now: "2025-01-09T15:40:00Z", truth: "succeeded-completed",
            recorded: "Completed"),
        Lag(
            cached: "pending-just-created", now: "2025-01-09T16:10:00Z", truth: "succeeded-completed",
            recorded: "Completed"),
        Lag(
            cached: "image-pull-backoff-past-deadline", now: "2025-01-09T16:00:00Z", truth: "succeeded-completed",
            recorded: "Completed"),
        Lag(
            cached: "unschedulable-past-deadline", now: "2025-01-09T16:00:00Z", truth: "failed-oomkilled",
            recorded: "OOMKilled"),
        Lag(
            cached: "node-unknown-past-threshold", now: "2025-01-09T16:00:00Z", truth: "succeeded-completed",
            recorded: "Completed"),
        Lag(
            cached: "deleted-no-report-past-grace", now: "2025-01-09T16:00:00Z", truth: "deleted-then-terminated",
            recorded: "Error"),
        Lag(
            cached: "force-deleted-no-report", now: "2025-01-09T16:00:00Z", truth: "succeeded-then-deleted",
            recorded: "Completed"),
    ]

    @Test(arguments: mainPodLags)
    func aDeadlineOverTheCacheEndsNothingUntilAFreshReadAgrees(lag: Lag) throws {
        var run = try RunScenario()
        let cached = try Fixtures.decode(MainPodFixture.self, "main-pod", lag.cached)
        run.pods = [try run.mainPod(lag.cached)]
        run.node = cached.node.map(NodeReadiness.init(node:))
        run.now = T.at(lag.now)
        let decision = run.decide()
        #expect(decision.createdPods.isEmpty, "no exit pod on the cache's word")
        #expect(decision.deletedPods.isEmpty)
        #expect(decision.status == nil && decision.events.isEmpty, "nothing written or announced unconditionally")
        let confirm = try #require(decision.confirmation)
        #expect(confirm.podUID == "main-pod-uid")
        #expect(confirm.resourceVersion == "2000", "the version the cache holds")

        // The server's pod moved on: the executor's fresh read refuses; the caught-up cache decides.
        var truth = try run.mainPod(lag.truth)
        truth.metadata.resourceVersion = "2042"
        #expect(!Self.freshReadAgrees(confirm, server: truth))
        run.pods = [truth]
        run.node = .ready
        let caughtUp = run.decide()
        #expect(caughtUp.confirmation == nil)
        #expect(caughtUp.status?.mainPodTermination?.reason == lag.recorded)
        let exit = try #require(caughtUp.createdPods.first)
        #expect(exit.env("pipelineStatus") == (lag.recorded == "Completed" ? "success" : "failed"))
    }

    /// A refused confirmation is answered `conflict`, and the watcher's ledger holds its id (it is
    /// version-bound) for `settleTime`; the look after `RunPlan.recheckAfterRefusal` is only a
    /// backstop. What the executor's fresh read can find different reaches the cache through a watch
    /// and changes either the id (the pod's or the OMJob's resourceVersion) or the decision itself
    /// (a Ready node ends nothing), so a decision from newer state never waits behind an old refusal.
    @Test(arguments: [
        ("container-creating-past-deadline", "2025-01-09T15:40:00Z"),
        ("node-unknown-past-threshold", "2025-01-09T16:00:00Z"),
    ])
    func aDecisionFromNewerStateNeverWaitsBehindARefusedConfirmation(fixture: String, now: String) throws {
        var run = try RunScenario()
        run.pods = [try run.mainPod(fixture)]
        run.node = try Fixtures.decode(MainPodFixture.self, "main-pod", fixture).node.map(NodeReadiness.init(node:))
        run.now = T.at(now)
        let refused = run.decide()
        let refusedID = try #require(refused.confirmationCommand?.id)
        let backstop = try #require(refused.nextLook)
        #expect(backstop <= run.now.addingTimeInterval(RunPlan.recheckAfterRefusal))

        var ledger = CommandLedger<String>()
        ledger.started(refusedID, key: "run", versionBound: true)
        _ = ledger.answered(refusedID, settled: true, now: run.now)
        #expect(
            !ledger.mayStart(refusedID, now: run.now.addingTimeInterval(1)),
            "the same state is not asked about again at once")

        var newerPod = run
        newerPod.pods[0].metadata.resourceVersion = "2042"
        var newerOMJob = run
        newerOMJob.omJob.metadata.resourceVersion = "1043"
        for newer in [newerPod, newerOMJob] {
            let id = try #require(newer.decide().confirmationCommand?.id)
            #expect(id != refusedID, "a new id: the ledger's hold on the refused one does not apply")
        }
        if run.node != nil {
            var nodeBack = run
            nodeBack.node = .ready
            #expect(nodeBack.decide().confirmationCommand == nil, "a Ready node ends nothing: no confirmation to hold")
        }
    }

    @Test func aConfirmedDeadlineIsRecordedThenTheNeverStartedPodIsDeleted() throws {
        var cluster = try Self.clusterWithMainPod()
        cluster.now = cluster.now.addingTimeInterval(601)
        cluster.settle()
        let status = try #require(cluster.omJob?.status)
        #expect(status.mainPodTermination?.reason == "NeverStarted/Pending")
        #expect(
            cluster.writes.drop { $0 != "confirmPodUnchanged" }.prefix(3) == [
                "confirmPodUnchanged", "deletePod", "createPod",
            ])
        #expect(cluster.mainPod?.metadata.isBeingDeleted == true)
        #expect(cluster.exitPods.first?.env("pipelineStatus") == "failed")
        #expect(cluster.events.contains { $0.reason == "MainPodFailed" }, "the event travels with the guarded record")
    }

    @Test func aMainPodThatCompletedBehindALaggingCacheRunsTheExitHandlerWithSuccess() throws {
        var cluster = try Self.clusterWithMainPod()
        let lagging = cluster.pods.values.map(PodView.init)  // the cache stops here: the pod as just created
        let main = try #require(cluster.mainPod?.metadata.name)
        cluster.run(main)
        cluster.exit(main, code: 0)
        cluster.now = cluster.now.addingTimeInterval(601)
        let stale = RunDecider.decide(
            RunObservation(omJob: try #require(cluster.omJob), pods: lagging), now: cluster.now, settings: RunSettings()
        )
        #expect(stale.commands.filter { cluster.apply($0) }.isEmpty, "the fresh read refuses; nothing is written")
        #expect(stale.nextLook != nil, "looked at again even if the watch stays silent")
        cluster.settle()
        #expect(cluster.omJob?.status?.mainPodTermination?.reason == "Completed")
        #expect(cluster.exitPods.map { $0.env("pipelineStatus") } == ["success"])
    }

    /// Exit pods a lagging cache may still hold as not ended after the run finished.
    static let staleExitPods: [String?] = [nil, "ContainerCreating", "ImagePullBackOff"]

    @Test(arguments: staleExitPods)
    func aFinishedRunDeletesAnExitPodItThinksStuckOnlyAsSeen(waiting: String?) throws {
        var run = try RunScenario()
        run.recordEnding(MainPodTermination(reason: "Completed", exitCode: 0, source: "PodPhase"), attempts: 1)
        run.omJob.status?.phase = .succeeded
        run.pods = [try run.mainPod("succeeded-completed"), run.exitPod(attempt: 1, exitCode: nil, waiting: waiting)]
        let decision = run.decide()
        #expect(
            decision.deletions == [
                DeletePod(name: "om-job-mysql-pipeline-a1b2c3d4-exit", uid: "exit-pod-uid-1", resourceVersion: "3001")
            ],
            "a pod that has run and succeeded since the cache saw it answers 409 and stays")
    }

    @Test func anExitPodThatSucceededBehindALaggingCacheIsNeitherRetriedNorDeleted() throws {
        var cluster = try Self.clusterWithMainPod()
        let main = try #require(cluster.mainPod?.metadata.name)
        cluster.run(main)
        cluster.exit(main, code: 1)
        cluster.settle()
        let exit = try #require(cluster.exitPods.first?.metadata.name)
        let lagging = cluster.pods.values.map(PodView.init)  // the exit pod as just created
        cluster.run(exit)
        cluster.exit(exit, code: 0)
        cluster.now = cluster.now.addingTimeInterval(300 + 10 + 1)  // start deadline + backoff
        for _ in 0..<3 {  // a retry, then the retire of attempt 1: each refused on the server's state
            let stale = RunDecider.decide(
                RunObservation(omJob: try #require(cluster.omJob), pods: lagging), now: cluster.now,
                settings: RunSettings())
            #expect(stale.createdPods.isEmpty)
            #expect(stale.commands.filter { cluster.apply($0) }.isEmpty)
        }
        cluster.settle()
        #expect(cluster.omJob?.status?.phase == .succeeded)
        #expect(cluster.omJob?.status?.exitHandlerAttempts == 1)
        #expect(cluster.exitPods.map { $0.status?.phase } == ["Succeeded"])
    }

    /// An OMJob whose main pod the (fake) API server holds as just created.
    static func clusterWithMainPod() throws -> FakeCluster {
        var cluster = FakeCluster(omJob: try RunScenario().omJob, now: T.at("2025-01-09T16:00:00Z"))
        cluster.settle()
        return cluster
    }

    /// The executor's check, on the pod the API server returns.
    static func freshReadAgrees(_ confirm: ConfirmPodUnchanged, server pod: Pod) -> Bool {
        pod.metadata.uid == confirm.podUID && pod.metadata.resourceVersion == confirm.resourceVersion
    }
}
