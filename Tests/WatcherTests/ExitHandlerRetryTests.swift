import Foundation
import Shared
import Testing

@testable import Watcher

/// "exit pod fails / never starts → retry with backoff up to a limit, then Failed with a Warning event".
@Suite struct ExitHandlerRetryTests {
    func failedRun(attempts: Int, exitCode: Int? = 2, waiting: String? = nil, now: String) throws -> RunScenario {
        var run = try RunScenario()
        run.recordEnding(
            MainPodTermination(reason: "Error", exitCode: 1, source: "ContainerTerminated"), attempts: attempts)
        run.pods = [
            try run.mainPod("failed-error-exit-1"),
            run.exitPod(attempt: attempts, exitCode: exitCode, waiting: waiting),
        ]
        run.now = T.at(now)
        return run
    }

    @Test func aFailedAttemptWaitsForItsBackoff() throws {
        let run = try failedRun(attempts: 1, now: "2025-01-09T15:51:05Z")
        let decision = run.decide()
        #expect(decision.commands.isEmpty)
        #expect(decision.nextLook == T.at("2025-01-09T15:51:10Z"), "finishedAt 15:51:00 + 10 s")
    }

    @Test func afterTheBackoffTheNextAttemptStarts() throws {
        let run = try failedRun(attempts: 2, now: "2025-01-09T15:52:00Z")
        let decision = run.decide()
        let pod = try #require(decision.createdPods.first)
        #expect(pod.metadata.name == "om-job-mysql-pipeline-a1b2c3d4-exit-3")
        #expect(pod.metadata.labels?[OperatorLabels.attempt] == "3")
        #expect(pod.env("OMJOB_EXIT_HANDLER_ATTEMPT") == "3")
        #expect(decision.status?.exitHandlerAttempts == 3)
        #expect(decision.status?.exitHandlerExitCode == 2)
        #expect(decision.status?.exitHandlerLastFailureTime == "2025-01-09T15:51:00Z")
        #expect(decision.events.map(\.reason) == ["ExitHandlerRetry"])
    }

    @Test func theSecondRetryWaitsTwiceAsLong() throws {
        let run = try failedRun(attempts: 2, now: "2025-01-09T15:51:15Z")
        #expect(run.decide().nextLook == T.at("2025-01-09T15:51:20Z"))
    }

    @Test func pastTheLimitTheRunFailsWithAWarning() throws {
        let run = try failedRun(attempts: 4, now: "2025-01-09T16:00:00Z")
        let decision = run.decide()
        #expect(decision.createdPods.isEmpty)
        #expect(decision.status?.phase == .failed)
        #expect(decision.status?.conditions?[type: "Failed"]?.reason == "ExitHandlerFailed")
        let event = try #require(decision.events.first)
        #expect(event.reason == "ExitHandlerFailed")
        #expect(event.type == "Warning")
    }

    @Test func anExitPodThatNeverStartsIsRetriedThenDeletedOnceCounted() throws {
        var run = try failedRun(attempts: 1, exitCode: nil, waiting: "ImagePullBackOff", now: "2025-01-09T16:00:00Z")
        let decision = run.decide()
        #expect(decision.deletedPods.isEmpty, "not before the status counts the attempt")
        #expect(decision.createdPods.isEmpty, "not before a fresh read confirms the attempt never started")
        let confirm = try #require(decision.confirmation)
        #expect(confirm.podName == "om-job-mysql-pipeline-a1b2c3d4-exit")
        #expect(confirm.thenPatch.status.exitHandlerReason == "NeverStarted/ImagePullBackOff")
        #expect(confirm.thenPatch.status.exitHandlerAttempts == 2)
        #expect(confirm.thenEvents.map(\.event.reason) == ["ExitHandlerRetry"])
        run.write(confirm.thenPatch.status)
        let next = run.decide()
        #expect(next.createdPods.map { $0.metadata.name } == ["om-job-mysql-pipeline-a1b2c3d4-exit-2"])
        #expect(next.deletedPods == ["om-job-mysql-pipeline-a1b2c3d4-exit"])
    }

    @Test func aStuckExitPodWithinItsBackoffIsKeptAndStillCounts() throws {
        let run = try failedRun(attempts: 1, exitCode: nil, waiting: "ImagePullBackOff", now: "2025-01-09T15:55:05Z")
        let decision = run.decide()
        #expect(decision.commands.isEmpty, "deleting it now would make the next decision re-create attempt 1")
        #expect(decision.nextLook == T.at("2025-01-09T15:55:10Z"), "created 15:50:00 + 300 s start deadline + 10 s")
    }

    @Test func aHungExitHandlerIsStoppedAtItsDeadlineAndRetried() throws {
        var run = try failedRun(attempts: 1, exitCode: nil, now: "2025-01-09T16:50:01Z")
        run.omJob.spec?.exitHandlerActiveDeadlineSeconds = 3600
        #expect(run.decide().commands.isEmpty, "still within the hour")
        run.now = T.at("2025-01-09T16:50:12Z")  // the deadline (16:50:02) plus the 10 s backoff
        let confirm = try #require(
            run.decide().confirmation, "a hang is concluded from time: confirmed by a fresh read first")
        #expect(confirm.thenPatch.status.exitHandlerReason == "DeadlineExceeded")
        run.write(confirm.thenPatch.status)
        let next = run.decide()
        #expect(next.createdPods.map { $0.metadata.name } == ["om-job-mysql-pipeline-a1b2c3d4-exit-2"])
        #expect(next.deletedPods == ["om-job-mysql-pipeline-a1b2c3d4-exit"], "stopped once attempt 2 is recorded")
    }

    @Test func aRunningExitHandlerIsLookedAtAgainAtItsDeadline() throws {
        let run = try failedRun(attempts: 1, exitCode: nil, now: "2025-01-09T16:00:00Z")
        #expect(run.decide().nextLook == T.at("2025-01-09T16:50:02Z"), "started 15:50:02 + the 1 h default")
    }

    @Test func aMissingExitPodIsCreatedAgainUnderTheSameName() throws {
        var run = try failedRun(attempts: 1, now: "2025-01-09T16:00:00Z")
        run.pods.removeLast()
        let decision = run.decide()
        #expect(decision.createdPods.map { $0.metadata.name } == ["om-job-mysql-pipeline-a1b2c3d4-exit"])
        #expect(decision.status == nil, "the attempt count does not change")
    }

    @Test func aRejectedExitPodCountsAsAFailedAttempt() throws {
        var run = try failedRun(attempts: 1, now: "2025-01-09T16:00:00Z")
        run.pods.removeLast()
        run.omJob.status?.podCreateFailure = PodCreateFailure(
            podType: .exitHandler, podName: "om-job-mysql-pipeline-a1b2c3d4-exit",
            attempt: 1, reason: "Invalid", code: 422, time: "2025-01-09T15:59:00Z")
        let decision = run.decide()
        #expect(decision.createdPods.map { $0.metadata.name } == ["om-job-mysql-pipeline-a1b2c3d4-exit-2"])
        #expect(decision.status?.exitHandlerReason == "CreateFailed")
    }
}
