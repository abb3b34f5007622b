import Foundation
import Shared
import Testing

@testable import Watcher

/// "exit pod never starts → attempt count → retry with backoff up to a limit, then Failed with a
/// Warning event" (DESIGN.md §4), run in a loop against the in-memory API server: a stuck attempt
/// must be counted before its pod goes, or the next decision sees it "missing" and re-creates it.
@Suite struct StuckExitHandlerTests {
    static let exit1 = "om-job-mysql-pipeline-a1b2c3d4-exit"
    static let exit2 = "om-job-mysql-pipeline-a1b2c3d4-exit-2"

    /// Reasons a kubelet reports for a container that never starts.
    static let waitingReasons = ["ImagePullBackOff", "ErrImagePull", "CreateContainerConfigError", "ContainerCreating"]

    /// A run whose main pod failed and whose first exit pod was just created.
    func exitHandlerStarted() throws -> FakeCluster {
        var cluster = FakeCluster(omJob: try Fixtures.openMetadataOMJob(), now: T.at("2025-01-09T15:30:00Z"))
        cluster.settle()
        let main = try #require(cluster.mainPod?.metadata.name)
        cluster.run(main)
        cluster.settle()
        cluster.exit(main, code: 1)
        cluster.settle()
        #expect(cluster.pods[Self.exit1] != nil)
        return cluster
    }

    static func neverStarts(_ name: String, _ reason: String, in cluster: inout FakeCluster) {
        cluster.report(
            name, PodStatus(phase: "Pending", container: ContainerState(waiting: ContainerStateWaiting(reason: reason)))
        )
    }

    @Test(arguments: waitingReasons)
    func aStuckAttemptIsCountedThenReplaced(reason: String) throws {
        var cluster = try exitHandlerStarted()
        Self.neverStarts(Self.exit1, reason, in: &cluster)
        cluster.settle()
        cluster.now = cluster.now.addingTimeInterval(300)  // the start deadline
        cluster.settle()
        #expect(cluster.omJob?.status?.exitHandlerAttempts == 1, "waiting for the backoff")
        cluster.now = cluster.now.addingTimeInterval(10)  // the first backoff
        cluster.settle()
        #expect(cluster.pods[Self.exit2] != nil, "attempt 2 started")
        #expect(cluster.pods[Self.exit1] == nil, "the stuck attempt was deleted")
        #expect(cluster.omJob?.status?.exitHandlerAttempts == 2)
        #expect(cluster.omJob?.status?.exitHandlerReason == "NeverStarted/\(reason)")
        #expect(cluster.events.filter { $0.reason == "ExitHandlerRetry" }.count == 1)
        cluster.exit(Self.exit2, code: 0)
        cluster.settle()
        #expect(cluster.omJob?.status?.phase == .succeeded)
        #expect(cluster.omJob?.status?.exitHandlerAttempts == 2)
    }

    @Test func everyAttemptStuckEndsFailedWithAWarningAndNothingLeftPulling() throws {
        var cluster = try exitHandlerStarted()
        for attempt in 1...4 {
            let stuck = try #require(
                cluster.exitPods.first { $0.metadata.labels?[OperatorLabels.attempt] == String(attempt) })
            Self.neverStarts(stuck.metadata.name!, "ImagePullBackOff", in: &cluster)
            cluster.settle()
            cluster.now = cluster.now.addingTimeInterval(300 + 40)  // start deadline + the longest backoff (3rd retry)
            cluster.settle()
        }
        #expect(cluster.omJob?.status?.phase == .failed)
        #expect(cluster.omJob?.status?.exitHandlerAttempts == 4)
        #expect(cluster.omJob?.status?.conditions?[type: "Failed"]?.reason == "ExitHandlerFailed")
        let failed = try #require(cluster.events.first { $0.reason == "ExitHandlerFailed" })
        #expect(failed.type == "Warning")
        #expect(cluster.events.filter { $0.reason == "ExitHandlerRetry" }.count == 3)
        #expect(cluster.exitPods.isEmpty, "every stuck attempt was deleted once counted")
    }

    /// A crash between the status write and the deletion: the next decision, from the written status
    /// alone, deletes the counted attempt and never re-creates it.
    @Test func aCrashAfterTheStatusWriteStillDeletesTheCountedAttemptOnce() throws {
        var cluster = try exitHandlerStarted()
        Self.neverStarts(Self.exit1, "ImagePullBackOff", in: &cluster)
        cluster.now = cluster.now.addingTimeInterval(310)
        let observation = RunObservation(
            omJob: try #require(cluster.omJob), pods: cluster.pods.values.map(PodView.init), mainPodNode: nil)
        let decision = RunDecider.decide(observation, now: cluster.now, settings: RunSettings())
        let types = decision.commands.map(\.action.type)
        // The write that counts the attempt rests on a deadline: it is the guarded one.
        let patch = try #require(types.firstIndex(of: "confirmPodUnchanged"))
        if let delete = types.firstIndex(of: "deletePod") {
            #expect(delete > patch, "never deleted before it is counted")
        }
        for command in decision.commands[...patch] { _ = cluster.apply(command) }  // crash here
        cluster.settle()
        #expect(cluster.pods[Self.exit1] == nil)
        #expect(cluster.pods[Self.exit2] != nil)
        #expect(cluster.omJob?.status?.exitHandlerAttempts == 2)
    }
}
