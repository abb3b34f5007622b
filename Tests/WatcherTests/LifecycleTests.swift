import Foundation
import Models
import Testing

@testable import Watcher

/// The decision run in a loop against an in-memory API server, from creation to release: the whole
/// guarantee (an exit handler for every ending, nothing left behind) and the write budget.
@Suite struct LifecycleTests {
    func started() throws -> FakeCluster {
        var cluster = FakeCluster(omJob: try Fixtures.openMetadataOMJob(), now: T.at("2025-01-09T15:30:00Z"))
        cluster.settle()
        return cluster
    }

    func expectNothingLeftBehind(_ cluster: FakeCluster) {
        #expect(cluster.omJob?.metadata.finalizers == nil)
        for pod in cluster.pods.values { #expect(pod.metadata.finalizers == nil, "\(pod.metadata.name ?? "")") }
    }

    @Test func aNormalRunStaysWithinTenWrites() throws {
        var cluster = try started()
        let main = try #require(cluster.mainPod?.metadata.name)
        cluster.settle()
        #expect(cluster.omJob?.status?.phase == .pending)
        cluster.run(main)
        cluster.settle()
        #expect(cluster.omJob?.status?.phase == .running)
        cluster.exit(main, code: 0)
        cluster.settle()
        #expect(cluster.omJob?.status?.phase == .exitHandlerRunning)
        let exit = try #require(cluster.exitPods.first?.metadata.name)
        #expect(cluster.pods[main] != nil, "the main pod and its logs exist while the exit handler runs")
        cluster.exit(exit, code: 0)
        cluster.settle()
        #expect(cluster.omJob?.status?.phase == .succeeded)
        expectNothingLeftBehind(cluster)
        #expect(
            cluster.writes == [
                "addFinalizer", "createPod", "patchOMJobStatus",  // guard, main pod, Pending
                "patchOMJobStatus",  // Running
                // exit pod, ExitHandlerRunning with the ending (the CRD keeps it: no annotation)
                "createPod", "patchOMJobStatus",
                "patchOMJobStatus", "recordEvent",  // Succeeded
                "removeFinalizer", "removeFinalizer",  // main pod, OMJob
            ])
        #expect(cluster.writes.count <= 10)
        #expect(cluster.events.map(\.reason) == ["OMJobSucceeded"])
    }

    /// A main pod passes through several waiting reasons on its way to running, often within
    /// milliseconds: they make one status write, not one each; a reason that says the pod may
    /// never start (an image that cannot be pulled) is written with the reason.
    @Test func aStartingMainPodIsOneStatusWriteAndAStuckOneSaysWhy() throws {
        var cluster = try started()
        let main = try #require(cluster.mainPod?.metadata.name)
        #expect(cluster.omJob?.status?.phase == .pending)
        #expect(cluster.omJob?.status?.message == "main pod \(main) is starting")
        let written = cluster.writes.count
        for reason in ["ContainerCreating", "PodInitializing", "ContainerCreating"] {
            cluster.wait(main, reason)
            cluster.settle()
        }
        #expect(cluster.writes.count == written, "the ordinary waiting reasons write nothing: \(cluster.writes)")
        cluster.wait(main, "ImagePullBackOff")
        cluster.settle()
        #expect(cluster.writes[written...] == ["patchOMJobStatus"])
        #expect(cluster.omJob?.status?.message == "main pod \(main) has not started (ImagePullBackOff)")
        #expect(cluster.omJob?.status?.phase == .pending)
        cluster.run(main)
        cluster.settle()
        #expect(cluster.writes[written...] == ["patchOMJobStatus", "patchOMJobStatus"])
        #expect(cluster.omJob?.status?.phase == .running)
    }

    static let endings = Fixtures.names(in: "main-pod").filter {
        (try? Fixtures.decode(MainPodFixture.self, "main-pod", $0).expect.ended) == true
    }

    // Every ending, under both CRDs: ChartCRDTests.everyEndingRunsOneExitHandlerAndFinishes.

    @Test func theOperatorWasDownWhileTheMainPodEndedAndWasDeleted() throws {
        var cluster = try started()
        let main = try #require(cluster.mainPod?.metadata.name)
        cluster.run(main)
        cluster.settle()
        // Operator down: the pod fails and a user deletes it; only the finalizer keeps it.
        cluster.exit(main, code: 1)
        let deleted = cluster.deletePod(main)
        #expect(deleted)
        #expect(cluster.pods[main] != nil)
        cluster.now = cluster.now.addingTimeInterval(3600)
        cluster.settle()
        #expect(cluster.omJob?.status?.mainPodTermination?.reason == "Error")
        #expect(cluster.omJob?.status?.mainPodExitCode == 1)
        let exit = try #require(cluster.exitPods.first)
        #expect(exit.env("pipelineStatus") == "failed")
        cluster.exit(exit.metadata.name!, code: 0)
        cluster.settle()
        #expect(cluster.pods[main] == nil, "released once the run finished")
        expectNothingLeftBehind(cluster)
    }

    @Test func aKillStopsRunsTheExitHandlerAndLetsTheOMJobGo() throws {
        var cluster = try started()
        let main = try #require(cluster.mainPod?.metadata.name)
        cluster.run(main)
        cluster.settle()
        cluster.deleteOMJob()
        cluster.settle()
        #expect(cluster.pods[main]?.metadata.isBeingDeleted == true, "stopped, but kept with its logs")
        cluster.exit(main, code: 143)
        cluster.settle()
        #expect(cluster.omJob?.status?.mainPodTermination?.reason == "Killed")
        let exit = try #require(cluster.exitPods.first)
        #expect(exit.env("pipelineStatus") == "failed")
        cluster.exit(exit.metadata.name!, code: 0)
        cluster.settle()
        #expect(cluster.omJob == nil, "the OMJob's deletion completed")
        #expect(cluster.exitPods.isEmpty, "the ownerless exit pod was deleted")
        #expect(cluster.pods[main] == nil)
    }

    @Test func aFailingExitHandlerIsRetriedThenSucceeds() throws {
        var cluster = try started()
        let main = try #require(cluster.mainPod?.metadata.name)
        cluster.exit(main, code: 0)
        cluster.settle()
        cluster.exit(try #require(cluster.exitPods.first?.metadata.name), code: 1)
        cluster.settle()
        #expect(cluster.exitPods.count == 1, "waiting for the backoff")
        cluster.now = cluster.now.addingTimeInterval(10)
        cluster.settle()
        let retry = try #require(cluster.pods["om-job-mysql-pipeline-a1b2c3d4-exit-2"])
        cluster.exit(retry.metadata.name!, code: 0)
        cluster.settle()
        #expect(cluster.omJob?.status?.phase == .succeeded)
        #expect(cluster.omJob?.status?.exitHandlerAttempts == 2)
        #expect(cluster.exitPods.filter { $0.status?.phase == "Succeeded" }.count == 1)
        expectNothingLeftBehind(cluster)
    }

    @Test func aVanishedMainPodIsRecordedAsLostAfterTheFreshRead() throws {
        var cluster = try started()
        let main = try #require(cluster.mainPod?.metadata.name)
        cluster.run(main)
        cluster.settle()
        cluster.pods[main] = nil  // force-removed, finalizer and all
        cluster.settle()
        #expect(cluster.omJob?.status?.mainPodTermination?.reason == "PodLost")
        #expect(cluster.exitPods.count == 1)
    }
}
