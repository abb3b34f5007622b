import Foundation
import Shared
import Testing

@testable import Watcher

/// The phase machine Pending → Running → ExitHandlerRunning → Succeeded | Failed, one step per test.
@Suite struct RunDecisionTests {
    @Test func anUnguardedRunFirstGetsTheFinalizerAndNothingElse() throws {
        let run = try RunScenario(guarded: false)
        let decision = run.decide()
        #expect(decision.types == ["addFinalizer"])
        #expect(decision.finalizerChanges(adding: true) == [.omJob])
        #expect(decision.status == nil)
    }

    @Test func aGuardedRunWithoutPodsCreatesTheMainPodOnly() throws {
        let run = try RunScenario()
        let decision = run.decide()
        #expect(decision.types == ["createPod"])
        let pod = try #require(decision.createdPods.first)
        #expect(pod.metadata.name == "om-job-mysql-pipeline-a1b2c3d4-main")
        #expect(pod.metadata.finalizers == [OperatorLabels.finalizer])
        #expect(decision.commands[0].id == "\(run.uid)/create/om-job-mysql-pipeline-a1b2c3d4-main")
        #expect(decision.commands[0].key == ObjectKey(namespace: "openmetadata-pipelines", name: run.name))
        // The status names the main pod only once it has been seen (its absence then means "lost").
        #expect(decision.status == nil)
    }

    @Test func aPendingMainPodIsRecordedAsPending() throws {
        var run = try RunScenario()
        run.pods = [try run.mainPod("pending-just-created")]
        let decision = run.decide()
        let status = try #require(decision.status)
        #expect(status.phase == .pending)
        #expect(status.mainPodName == "om-job-mysql-pipeline-a1b2c3d4-main")
        #expect(status.startTime == "2025-01-09T16:00:00Z")
        #expect(status.observedGeneration == 1)
        #expect(decision.types == ["patchOMJobStatus"])
        #expect(decision.nextLook == T.at("2025-01-09T16:09:59Z"))
    }

    @Test func aRunningMainPodMovesThePhaseToRunningOnce() throws {
        var run = try RunScenario()
        run.pods = [try run.mainPod("running")]
        let first = run.decide()
        #expect(first.status?.phase == .running)
        run.omJob.status = first.status
        run.omJob.metadata.resourceVersion = "1002"
        #expect(first.transition == PhaseTransition(from: nil, to: .running))
        #expect(first.recordedEnding == nil)
        #expect(run.decide().commands.isEmpty, "nothing changed, nothing to write")
    }

    static let endings = Fixtures.names(in: "main-pod").filter {
        (try? Fixtures.decode(MainPodFixture.self, "main-pod", $0).expect.ended) == true
    }

    @Test(arguments: endings)
    func everyEndingStartsTheExitHandlerWithTheRightFacts(fixture: String) throws {
        var run = try RunScenario()
        let shaped = try Fixtures.decode(MainPodFixture.self, "main-pod", fixture)
        run.pods = [try run.mainPod(fixture)]
        run.node = shaped.node.map(NodeReadiness.init(node:))
        let first = run.decide()
        var start = first
        var status = first.status
        var events = first.events
        if ["NeverStarted", "NodeLost", "Deletion"].contains(shaped.expect.source ?? "") {
            // Concluded from time over the cache: recorded behind a fresh read; the exit handler follows the record.
            let confirm = try #require(first.confirmation, "\(fixture): no fresh read")
            #expect(first.types == ["confirmPodUnchanged"])
            #expect(confirm.resourceVersion == "2000")
            #expect(confirm.notReadyNode == (shaped.expect.source == "NodeLost" ? run.pods[0].spec?.nodeName : nil))
            (status, events) = (confirm.thenPatch.status, confirm.thenEvents.map(\.event))
            run.write(status)
            start = run.decide()
        } else {
            // Exit pod first (the latency that matters), then the record.
            let create = try #require(first.types.firstIndex(of: "createPod"))
            let patch = try #require(first.types.firstIndex(of: "patchOMJobStatus"))
            #expect(create < patch)
        }

        let exit = try #require(start.createdPods.first, "\(fixture): no exit pod")
        #expect(exit.metadata.name == "om-job-mysql-pipeline-a1b2c3d4-exit")
        #expect(exit.metadata.labels?[OperatorLabels.podType] == "exit-handler")
        let success = shaped.expect.success ?? false
        #expect(exit.env("pipelineStatus") == (success ? "success" : "failed"))
        #expect(exit.env("OMJOB_MAIN_REASON") == shaped.expect.reason)
        #expect(exit.env("OMJOB_MAIN_EXIT_CODE") == shaped.expect.exitCode.map(String.init) ?? "")
        #expect(exit.env("OMJOB_MAIN_POD_NAME") == "om-job-mysql-pipeline-a1b2c3d4-main")
        #expect(
            start.deletedPods == (shaped.expect.source == "NeverStarted" ? ["om-job-mysql-pipeline-a1b2c3d4-main"] : [])
        )

        let recorded = try #require(status)
        #expect(recorded.phase == .exitHandlerRunning)
        #expect(recorded.mainPodTermination?.reason == shaped.expect.reason)
        #expect(recorded.mainPodExitCode == shaped.expect.exitCode)
        #expect(recorded.exitHandlerAttempts == 1)
        #expect(recorded.conditions?[type: "MainPodEnded"]?.status == "True")
        #expect(events.contains { $0.reason == "MainPodFailed" } == !success)
        #expect(first.transition == PhaseTransition(from: nil, to: .exitHandlerRunning))
        #expect(first.recordedEnding?.reason == shaped.expect.reason)
    }

    @Test func aSucceededExitHandlerFinishesTheRun() throws {
        var run = try RunScenario()
        run.recordEnding(
            MainPodTermination(reason: "OOMKilled", exitCode: 137, signal: 9, source: "ContainerTerminated"),
            attempts: 1)
        run.pods = [try run.mainPod("failed-oomkilled"), run.exitPod(attempt: 1, exitCode: 0)]
        let decision = run.decide()
        let status = try #require(decision.status)
        #expect(status.phase == .succeeded, "the final phase follows the exit handler's exit code")
        #expect(status.completionTime == "2025-01-09T16:00:00Z")
        #expect(status.exitHandlerExitCode == 0)
        #expect(status.conditions?[type: "Complete"]?.status == "True")
        #expect(decision.events.map(\.reason) == ["OMJobSucceeded"])
        #expect(decision.createdPods.isEmpty)
    }

    @Test func aFinishedRunReleasesThePodFirstThenTheOMJob() throws {
        var run = try RunScenario()
        run.recordEnding(MainPodTermination(reason: "Completed", exitCode: 0, source: "PodPhase"), attempts: 1)
        run.omJob.status?.phase = .succeeded
        run.pods = [try run.mainPod("succeeded-completed"), run.exitPod(attempt: 1, exitCode: 0)]
        let decision = run.decide()
        #expect(decision.types == ["removeFinalizer", "removeFinalizer"])
        #expect(
            decision.finalizerChanges(adding: false) == [
                .pod(name: "om-job-mysql-pipeline-a1b2c3d4-main", uid: "main-pod-uid"), .omJob,
            ])
    }

    @Test func aRunWithoutExitHandlerFollowsTheMainPod() throws {
        for (fixture, phase) in [("succeeded-completed", OMJobPhase.succeeded), ("failed-error-exit-1", .failed)] {
            var run = try RunScenario()
            run.omJob.spec?.exitHandlerSpec = nil
            run.pods = [try run.mainPod(fixture)]
            let decision = run.decide()
            #expect(decision.status?.phase == phase)
            #expect(decision.createdPods.isEmpty)
            #expect(decision.status?.completionTime != nil)
        }
    }

    @Test func decisionsAreDeterministicAndCommandIDsUnique() throws {
        var run = try RunScenario()
        run.pods = [try run.mainPod("image-pull-backoff-past-deadline")]
        let first = run.decide()
        #expect(first == run.decide())
        #expect(Set(first.commands.map(\.id)).count == first.commands.count)
        #expect(first.commands.allSatisfy { $0.omJobUID == run.uid && $0.id.hasPrefix(run.uid + "/") })
    }

    @Test func aPodWithOurNameButAnotherOwnerIsNotOurs() throws {
        var run = try RunScenario()
        var impostor = try run.mainPod("succeeded-completed")
        impostor.metadata.ownerReferences?[0].uid = "someone-else"
        run.pods = [impostor]
        let decision = run.decide()
        #expect(decision.types == ["createPod"], "the run still waits for its own main pod")
        #expect(decision.createdPods.first?.metadata.labels?[OperatorLabels.podType] == "main")
    }

    @Test func aMainPodFromBeforeTheOperatorGetsItsFinalizer() throws {
        var run = try RunScenario()
        var pod = try run.mainPod("running")
        pod.metadata.finalizers = nil
        run.pods = [pod]
        let decision = run.decide()
        #expect(
            decision.finalizerChanges(adding: true) == [
                .pod(name: "om-job-mysql-pipeline-a1b2c3d4-main", uid: "main-pod-uid")
            ])
    }
}
