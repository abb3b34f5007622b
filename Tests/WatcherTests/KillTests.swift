import Foundation
import Shared
import Testing

@testable import Watcher

/// "OMJob deleted while running (OpenMetadata's kill)": stop the main pod keeping it and its logs,
/// run the exit handler with pipelineStatus=failed, then release; bounded by the kill deadline.
@Suite struct KillTests {
    func killedRun() throws -> RunScenario {
        var run = try RunScenario()
        run.omJob.metadata.deletionTimestamp = "2025-01-09T15:59:00Z"
        return run
    }

    @Test func aKillStopsTheRunningMainPodWithoutDeletingItsRecord() throws {
        var run = try killedRun()
        run.pods = [try run.mainPod("running")]
        let decision = run.decide()
        #expect(decision.stoppedPods == ["om-job-mysql-pipeline-a1b2c3d4-main"])
        #expect(decision.createdPods.isEmpty, "the exit handler waits for the main pod to stop")
        #expect(decision.finalizerChanges(adding: false).isEmpty, "nothing is released yet")
        #expect(decision.nextLook == T.at("2025-01-09T16:14:00Z"), "the kill deadline bounds the wait")
    }

    @Test func theStoppedMainPodIsRecordedAsKilledAndTheExitPodHasNoOwner() throws {
        var run = try killedRun()
        var stopped = try run.mainPod("deleted-then-terminated")
        stopped.status?.containerStatuses?[0].state?.terminated?.finishedAt = "2025-01-09T15:59:30Z"
        run.pods = [stopped]
        let decision = run.decide()
        let ending = try #require(decision.status?.mainPodTermination)
        #expect(ending.reason == "Killed")
        #expect(ending.exitCode == 143)
        #expect(ending.signal == 15)
        let exit = try #require(decision.createdPods.first)
        #expect(exit.env("pipelineStatus") == "failed")
        #expect(exit.metadata.ownerReferences == nil, "foreground deletion would collect an owned pod before it runs")
        #expect(exit.metadata.labels?[OperatorLabels.omJobUID] == run.uid)
    }

    @Test func aMainPodThatFailedBeforeTheKillKeepsItsOwnEnding() throws {
        var run = try killedRun()
        run.pods = [try run.mainPod("failed-oomkilled")]  // finished 15:44:30, killed 15:59:00
        let ending = try #require(run.decide().status?.mainPodTermination)
        #expect(ending.reason == "OOMKilled")
    }

    @Test func aRunKilledBeforeItsMainPodExistedStillRunsItsExitHandler() throws {
        let run = try killedRun()
        let decision = run.decide()
        #expect(decision.status?.mainPodTermination?.reason == "Killed")
        #expect(decision.createdPods.map { $0.metadata.labels?[OperatorLabels.podType] } == ["exit-handler"])
    }

    @Test func anOwnerlessExitPodIsFoundByItsUIDLabel() throws {
        var run = try killedRun()
        run.recordEnding(MainPodTermination(reason: "Killed", exitCode: 143, signal: 15, source: "Killed"), attempts: 1)
        var exit = run.exitPod(attempt: 1, exitCode: 0)
        exit.metadata.ownerReferences = nil
        run.pods = [try run.mainPod("deleted-then-terminated"), exit]
        #expect(run.decide().status?.phase == .succeeded)
    }

    @Test func aFinishedKillDeletesOwnerlessExitPodsThenReleases() throws {
        var run = try killedRun()
        run.recordEnding(MainPodTermination(reason: "Killed", source: "Killed"), attempts: 1)
        run.omJob.status?.phase = .failed
        var exit = run.exitPod(attempt: 1, exitCode: 0)
        exit.metadata.ownerReferences = nil
        run.pods = [try run.mainPod("deleted-then-terminated"), exit]
        let decision = run.decide()
        #expect(decision.types == ["deletePod", "removeFinalizer", "removeFinalizer"])
        #expect(decision.deletedPods == ["om-job-mysql-pipeline-a1b2c3d4-exit"])
        #expect(decision.finalizerChanges(adding: false).last == .omJob)
    }

    @Test func pastTheKillDeadlineEverythingIsReleasedWithAWarning() throws {
        var run = try killedRun()
        run.now = T.at("2025-01-09T16:20:00Z")
        run.pods = [try run.mainPod("running")]
        let decision = run.decide()
        #expect(
            decision.finalizerChanges(adding: false) == [
                .pod(name: "om-job-mysql-pipeline-a1b2c3d4-main", uid: "main-pod-uid"), .omJob,
            ])
        #expect(decision.events.map(\.reason) == ["KillDeadlineExceeded"])
    }

    @Test func aDeletedOMJobWithoutOurFinalizerOnlyReleasesItsPods() throws {
        var run = try killedRun()
        run.omJob.metadata.finalizers = ["foregroundDeletion"]
        run.pods = [try run.mainPod("running")]
        let decision = run.decide()
        #expect(decision.types == ["removeFinalizer"])
    }

    @Test func anOrphanedMainPodIsReleased() throws {
        let run = try RunScenario()
        let command = try #require(OrphanPods.release(PodView(try run.mainPod("running"))))
        #expect(command.key == ObjectKey(namespace: "openmetadata-pipelines", name: run.name))
        #expect(command.omJobUID == run.uid)
        #expect(
            command.action
                == .removeFinalizer(
                    FinalizerChange(
                        target: .pod(name: "om-job-mysql-pipeline-a1b2c3d4-main", uid: "main-pod-uid"),
                        finalizer: OperatorLabels.finalizer)))
    }
}

/// What the watcher needs besides the decision: which node to watch for a run.
@Suite struct ObservationHelperTests {
    @Test func theMainPodsNodeIsTheOneToWatch() throws {
        let run = try RunScenario()
        var other = try run.mainPod("running")
        other.metadata.ownerReferences?[0].uid = "not-this-run"
        other.spec?.nodeName = "worker-9"
        #expect(RunObservation.mainPodNodeName(omJob: run.omJob, pods: [PodView(other)]) == nil)
        #expect(
            RunObservation.mainPodNodeName(
                omJob: run.omJob, pods: [other, try run.mainPod("running")].map(PodView.init)) == "worker-1")
    }
}
