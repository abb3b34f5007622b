import Foundation
import Models
import Testing

@testable import Watcher

/// A main pod whose node is lost: the run ends with NodeLost, the main pod is deleted so that a
/// returning node stops it (the record says when: `stopRequestedAt`), its finalizer goes only after
/// that, and a late report from the pod changes nothing but an event. With or without the right to
/// read nodes.
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
        #expect(ending.stopRequestedAt == "2025-01-09T15:50:00Z", "the record says when the stop was asked")
        #expect(cluster.exitPods.count == 1)
        let pod = try #require(cluster.pods[main])
        #expect(pod.metadata.isBeingDeleted, "a returning node stops the container")
        #expect(pod.metadata.finalizers == [OperatorLabels.finalizer], "kept while the exit handler runs")

        cluster.exit(try #require(cluster.exitPods.first?.metadata.name), code: 0)
        cluster.settle()
        #expect(cluster.omJob?.status?.phase == .succeeded)
        #expect(cluster.pods[main] == nil, "released once its deletion was asked: the pod goes")
    }

    /// The node walks from Unknown past the threshold to back, its main pod reporting its end
    /// late (the SIGTERM the stop sent, 143, or a completion, 0), after the stop was asked or
    /// before, then going: one ending (NodeLost), one exit handler, the late report an event.
    @Test(arguments: [143, 0], [false, true])
    func aLateReportAfterNodeLostChangesNothingButAnEvent(exitCode: Int, reportedBeforeTheStop: Bool) throws {
        var (cluster, main) = try running()
        cluster.node = .notReady(since: T.at(Self.lostAt), status: "Unknown", name: "worker-1")

        // Unknown, within the threshold: nothing is concluded.
        cluster.now = T.at("2025-01-09T15:44:00Z")
        cluster.settle()
        #expect(cluster.omJob?.effectiveStatus.mainPodTermination == nil)
        #expect(cluster.pods[main]?.metadata.isBeingDeleted == false)

        // Unknown past the threshold: NodeLost, confirmed by a fresh read before anything else.
        cluster.now = T.at("2025-01-09T15:50:00Z")
        cluster.step()
        let lost = try #require(cluster.omJob?.effectiveStatus.mainPodTermination)
        #expect(lost.reason == "NodeLost")
        #expect(lost.stopRequestedAt == nil, "asked with the exit handler's start, after the record")
        #expect(cluster.exitPods.isEmpty)

        // The kubelet returns and reports the container's end.
        cluster.node = .ready
        if reportedBeforeTheStop {
            cluster.exit(main, code: exitCode)
            cluster.now = T.at("2025-01-09T15:50:20Z")
            cluster.settle()
        } else {
            cluster.settle()
            #expect(cluster.pods[main]?.metadata.isBeingDeleted == true)
            cluster.now = T.at("2025-01-09T15:50:20Z")
            cluster.exit(main, code: exitCode)
            cluster.settle()
        }
        let job = try #require(cluster.omJob)
        let ending = try #require(job.effectiveStatus.mainPodTermination)
        #expect(ending.reason == "NodeLost", "the recorded ending stays")
        #expect(ending.exitCode == nil)
        // Asked only of a pod that had not reported its end; a pod that had needs no stop.
        #expect(ending.stopRequestedAt == (reportedBeforeTheStop ? nil : "2025-01-09T15:50:00Z"))
        #expect(cluster.pods[main]?.metadata.isBeingDeleted == !reportedBeforeTheStop)
        #expect(job.status?.phase == .exitHandlerRunning)
        #expect(cluster.exitPods.count == 1, "no second exit handler")
        let exit = try #require(cluster.exitPods.first)
        #expect(exit.env("pipelineStatus") == "failed")
        #expect(exit.env("OMJOB_MAIN_REASON") == "NodeLost")
        let late = cluster.events.filter { $0.reason == "MainPodReportedLate" }
        #expect(late.count == 1)
        #expect(late.first?.message?.contains("exit code \(exitCode)") == true, "\(late.first?.message ?? "no event")")

        // The exit handler ends; the run finishes and releases the main pod, which goes.
        cluster.exit(try #require(exit.metadata.name), code: 0)
        cluster.settle()
        #expect(cluster.omJob?.status?.phase == .succeeded)
        #expect(cluster.pods[main]?.metadata.finalizers == nil)
        if !reportedBeforeTheStop { #expect(cluster.pods[main] == nil, "deleted, and released: gone") }
        cluster.pods[main] = nil
        cluster.now = T.at("2025-01-09T15:55:00Z")
        cluster.settle()
        let finished = try #require(cluster.omJob)
        #expect(finished.status?.phase == .succeeded)
        #expect(finished.effectiveStatus.mainPodTermination == ending, "gone after the record: not PodLost")
        #expect(cluster.exitPods.count == 1)
    }

    /// The stop was sent but the status write after it was lost (or someone deleted the pod
    /// first): the pod is not deleted again, and the record takes the time from the pod.
    @Test func aStopAlreadyTakenIsReadBackFromThePod() throws {
        var (cluster, main) = try running()
        cluster.node = .notReady(since: T.at(Self.lostAt), status: "Unknown", name: "worker-1")
        cluster.now = T.at("2025-01-09T15:50:00Z")
        cluster.step()
        #expect(cluster.omJob?.effectiveStatus.mainPodTermination?.reason == "NodeLost")
        cluster.now = T.at("2025-01-09T15:50:02Z")
        let deleted = cluster.deletePod(main, grace: 30)
        #expect(deleted)
        cluster.now = T.at("2025-01-09T15:50:05Z")
        let commands = cluster.settle()
        #expect(!commands.contains { if case .stopPod = $0.action { true } else { false } })
        let ending = try #require(cluster.omJob?.effectiveStatus.mainPodTermination)
        #expect(ending.stopRequestedAt == "2025-01-09T15:50:02Z")
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
