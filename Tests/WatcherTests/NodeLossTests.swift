import Foundation
import Shared
import Testing

@testable import Watcher

/// A main pod whose node is lost: the run ends with NodeLost, the main pod is deleted so that a
/// returning node stops it, its finalizer goes only after that, and a late report from the pod
/// changes nothing but an event. With or without the right to read nodes.
@Suite struct NodeLossTests {
    static let lostAt = "2025-01-09T15:40:00Z"

    /// A cluster whose main pod runs on worker-1 from 15:35.
    func running(_ schema: StatusSchema = .openMetadataChart) throws -> (FakeCluster, String) {
        var cluster = FakeCluster(omJob: try Fixtures.openMetadataOMJob(), now: T.at("2025-01-09T15:30:00Z"))
        cluster.schema = schema
        cluster.settle()
        let main = try #require(cluster.mainPod?.metadata.name)
        cluster.now = T.at("2025-01-09T15:35:00Z")
        cluster.run(main)
        cluster.settle()
        return (cluster, main)
    }

    /// What the node controller does to the pods of a node that stopped reporting: Ready False,
    /// ContainersReady left as the kubelet last said.
    static func markedNotReady(_ pod: inout Pod, containersReady: String = "True") {
        pod.status?.conditions = [
            PodCondition(type: "Ready", status: "False", lastTransitionTime: lostAt),
            PodCondition(type: "ContainersReady", status: containersReady, lastTransitionTime: "2025-01-09T15:35:05Z"),
        ]
        pod.metadata.resourceVersion = "\(Int(pod.metadata.resourceVersion ?? "0")! + 1)"
    }

    @Test(arguments: [true, false])
    func aLostNodesMainPodIsStoppedWithTheExitHandlersStart(nodesWatched: Bool) throws {
        var (cluster, main) = try running()
        if nodesWatched {
            cluster.node = .notReady(since: T.at(Self.lostAt), status: "Unknown", name: "worker-1")
        } else {
            Self.markedNotReady(&cluster.pods[main]!)
        }
        cluster.now = T.at("2025-01-09T15:50:00Z")
        cluster.settle()

        let job = try #require(cluster.omJob)
        let ending = try #require(job.effectiveStatus.mainPodTermination)
        #expect(ending.reason == "NodeLost")
        #expect(ending.containerMayStillRun == true)
        #expect(ending.message?.contains("the main pod is deleted") == true, "the record says the stop was asked")
        #expect(cluster.exitPods.count == 1)
        let pod = try #require(cluster.pods[main])
        #expect(pod.metadata.isBeingDeleted, "a returning node stops the container")
        #expect(pod.metadata.finalizers == [OperatorLabels.finalizer], "kept while the exit handler runs")

        cluster.exit(try #require(cluster.exitPods.first?.metadata.name), code: 0)
        cluster.settle()
        #expect(cluster.omJob?.status?.phase == .succeeded)
        #expect(cluster.pods[main] == nil, "released once its deletion was asked: the pod goes")
    }

    @Test func theNodeReturningAfterTheRecordChangesNothingButAnEvent() throws {
        var (cluster, main) = try running()
        cluster.node = .notReady(since: T.at(Self.lostAt), status: "Unknown", name: "worker-1")
        cluster.now = T.at("2025-01-09T15:50:00Z")
        cluster.settle()
        // The kubelet comes back and reports the SIGTERM the deletion sent.
        cluster.node = .ready
        cluster.exit(main, code: 143)
        cluster.settle()
        let job = try #require(cluster.omJob)
        #expect(job.effectiveStatus.mainPodTermination?.reason == "NodeLost", "the recorded ending stays")
        #expect(cluster.exitPods.count == 1, "no second exit handler")
        #expect(
            cluster.events.contains {
                $0.reason == "MainPodReportedLate" && ($0.message ?? "").contains("exit code 143")
            })
        cluster.exit(try #require(cluster.exitPods.first?.metadata.name), code: 0)
        cluster.settle()
        #expect(cluster.omJob?.status?.phase == .succeeded)
        #expect(cluster.exitPods.count == 1)
    }

    @Test func aPodMarkedNotReadyRestsOnThePodAloneNotOnTheNode() throws {
        var scenario = try RunScenario()
        var pod = try scenario.mainPod("running")
        Self.markedNotReady(&pod)
        scenario.pods = [pod]
        scenario.now = T.at("2025-01-09T15:50:00Z")
        scenario.node = RunObservation.mainPodNode(omJob: scenario.omJob, pods: [PodView(pod)], nodes: { _ in nil })
        #expect(scenario.node == .unreachable(since: T.at(Self.lostAt), name: "worker-1"))
        let decision = scenario.decide()
        let confirmation = try #require(decision.confirmation, "an ending concluded from time waits for a fresh read")
        #expect(confirmation.notReadyNode == nil, "nodes may not be readable: the pod's own state is the evidence")
        #expect(confirmation.thenPatch.status.mainPodTermination?.reason == "NodeLost")
    }

    @Test func aFailingReadinessProbeIsNotANodeLoss() throws {
        var scenario = try RunScenario()
        var pod = try scenario.mainPod("running")
        Self.markedNotReady(&pod, containersReady: "False")
        #expect(NodeReadiness.reported(by: PodView(pod)) == nil, "the kubelet itself said not ready")
        scenario.pods = [pod]
        scenario.now = T.at("2025-01-09T17:00:00Z")
        #expect(scenario.decide().confirmation == nil)
    }

    @Test func withinTheThresholdTheRunLooksAgainAtIt() throws {
        var scenario = try RunScenario()
        var pod = try scenario.mainPod("running")
        Self.markedNotReady(&pod)
        scenario.pods = [pod]
        scenario.now = T.at("2025-01-09T15:41:00Z")
        scenario.node = NodeReadiness.reported(by: PodView(pod))
        let decision = scenario.decide()
        #expect(decision.confirmation == nil)
        #expect(decision.nextLook == T.at(Self.lostAt).addingTimeInterval(300))
    }
}
