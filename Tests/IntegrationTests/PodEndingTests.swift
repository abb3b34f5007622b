import Foundation
import KubeJSON
import KubeSim
import Testing

/// Endings imposed on the main pod from outside its container: deletion, eviction, node loss,
/// a container that never starts.
// The endings that run on both servers are in Scenarios/ (described once, run on kubesim and kube-apiserver).
@Suite(.timeLimit(.minutes(3))) struct PodEndingTests {
    /// Waits until the operator's finalizer guards the main pod (no ending can be missed from then on).
    static func guardedRunningMainPod(_ op: OperatorUnderTest, _ name: String, node: String = "node-1") async throws {
        _ = try await until("finalizer on \(name)-main") {
            try await op.pod("\(name)-main")?["metadata"]?["finalizers"]?.arrayValue?.isEmpty == false ? true : nil
        }
        try op.sim.store.bind(namespace: op.namespace, pod: "\(name)-main", node: node)
        try await op.setRunning("\(name)-main")
        try await op.waitForPhase(name, "Running")
    }

    @Test func evictionRecordsTheDisruption() async throws {
        try await OperatorUnderTest.run { op in
            try await op.create(OperatorUnderTest.omJob("evicted"))
            try await Self.guardedRunningMainPod(op, "evicted")
            try await op.evict("evicted-main")
            let exit = try await op.waitForExitPod(of: "evicted")
            try await op.finishExitHandler(exit)
            try await op.expectEnded(
                "evicted", phase: "Succeeded", reason: "TerminationByKubelet", pipelineStatus: "failed")
        }
    }

    @Test func nodeLossPastTheThresholdRecordsNodeLost() async throws {
        try await OperatorUnderTest.run { op in
            try op.createNode("node-9", ready: "True")
            try await op.create(OperatorUnderTest.omJob("lost"))
            try await Self.guardedRunningMainPod(op, "lost", node: "node-9")
            try op.setNodeReady("node-9", "Unknown")
            let exit = try await op.waitForExitPod(of: "lost")
            // The container may still run: the main pod is deleted so that a returning node stops it,
            // and kept (finalizer) while the exit handler runs.
            _ = try await until("the main pod's deletion asked") {
                try await op.pod("lost-main")?["metadata"]?["deletionTimestamp"] != nil ? true : nil
            }
            #expect(try await op.pod("lost-main")?["metadata"]?["finalizers"]?.arrayValue?.isEmpty == false)
            try await op.expectStopRequested("lost", asked: .byTheRun)
            // The node returns and the kubelet reports the SIGTERM the deletion sent: nothing changes.
            try op.setNodeReady("node-9", "True")
            try await op.terminate("lost-main", exitCode: 143, reason: "Error", signal: 15)
            try await op.finishExitHandler(exit)
            try await op.expectEnded("lost", phase: "Succeeded", reason: "NodeLost", pipelineStatus: "failed")
            #expect(try await op.pods(of: "lost", type: "exit-handler").count == 1, "no second exit handler")
        }
    }
}
