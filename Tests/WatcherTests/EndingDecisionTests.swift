import Foundation
import Shared
import Testing

@testable import Watcher

/// The rows of DESIGN.md §4 that need more than the pod: disappearance, create failure, deadlines.
@Suite struct EndingDecisionTests {
    @Test func aVanishedMainPodIsConfirmedByAFreshReadNotTheCache() throws {
        var run = try RunScenario()
        var status = OMJobStatus(phase: .running)
        status.mainPodName = "om-job-mysql-pipeline-a1b2c3d4-main"
        run.omJob.status = status
        let decision = run.decide()
        #expect(decision.types == ["confirmPodAbsent"])
        #expect(decision.status == nil, "nothing is written on the cache's word")
        guard case .confirmPodAbsent(let confirm) = decision.commands[0].action else { return }
        #expect(confirm.podName == "om-job-mysql-pipeline-a1b2c3d4-main")
        #expect(confirm.thenPatch.resourceVersion == "1001")
        #expect(confirm.thenPatch.status.mainPodTermination?.reason == "PodLost")
        #expect(confirm.thenPatch.status.mainPodTermination?.source == "Disappeared")
        #expect(confirm.thenPatch.status.phase == .exitHandlerRunning)
    }

    @Test func aConfirmedLossStartsTheExitHandler() throws {
        var run = try RunScenario()
        run.recordEnding(MainPodTermination(reason: "PodLost", source: "Disappeared"), attempts: 0)
        let decision = run.decide()
        let exit = try #require(decision.createdPods.first)
        #expect(exit.env("pipelineStatus") == "failed")
        #expect(exit.env("OMJOB_MAIN_REASON") == "PodLost")
        #expect(exit.env("OMJOB_MAIN_EXIT_CODE") == "")
    }

    @Test func aRejectedMainPodEndsAsCreateFailedAndStillRunsTheExitHandler() throws {
        var run = try RunScenario()
        var status = OMJobStatus()
        status.podCreateFailure = PodCreateFailure(
            podType: .main, podName: "om-job-mysql-pipeline-a1b2c3d4-main", attempt: 1,
            reason: "Forbidden", code: 403, message: "exceeded quota: compute-resources", time: "2025-01-09T15:59:00Z")
        run.omJob.status = status
        let decision = run.decide()
        #expect(decision.status?.mainPodTermination?.reason == "CreateFailed")
        #expect(decision.status?.mainPodTermination?.message?.contains("exceeded quota") == true)
        #expect(decision.createdPods.first?.env("pipelineStatus") == "failed")
    }

    @Test func theActiveDeadlineStopsTheMainPodAndIsRecordedAsDeadlineExceeded() throws {
        var run = try RunScenario()
        run.omJob.spec?.activeDeadlineSeconds = 600
        run.pods = [try run.mainPod("running")]
        let stop = run.decide()
        #expect(stop.stoppedPods == ["om-job-mysql-pipeline-a1b2c3d4-main"])

        var stopped = try run.mainPod("deleted-then-terminated")
        stopped.metadata.deletionTimestamp = "2025-01-09T16:00:30Z"
        run.pods = [stopped]
        run.now = T.at("2025-01-09T16:00:40Z")
        let ending = try #require(run.decide().status?.mainPodTermination)
        #expect(ending.reason == "DeadlineExceeded")
        #expect(ending.source == "ActiveDeadline")
        #expect(ending.exitCode == 143)
    }

    @Test func theActiveDeadlineIsWhenToLookAgain() throws {
        var run = try RunScenario()
        run.omJob.spec?.activeDeadlineSeconds = 3600
        run.pods = [try run.mainPod("running")]
        let decision = run.decide()
        #expect(decision.stoppedPods.isEmpty)
        #expect(decision.nextLook == T.at("2025-01-09T16:30:04Z"))
    }
}
