import Foundation
import KubeJSON
import KubeSim
import Testing

/// Endings where the main container itself ends: the kubelet writes a terminated state.
// The endings that run on both servers moved to Scenarios/ (described once, run on kubesim and kube-apiserver).
@Suite(.timeLimit(.minutes(3))) struct ContainerEndingTests {
    @Test func exitZeroRunsTheExitHandlerWithSuccess() async throws {
        try await OperatorUnderTest.run { op in
            try op.create(OperatorUnderTest.omJob("ok"))
            _ = try await op.waitForPod("ok-main")
            try op.setRunning("ok-main")
            try await op.waitForPhase("ok", "Running")
            try op.terminate("ok-main", exitCode: 0, reason: "Completed")
            let exit = try await op.waitForExitPod(of: "ok")
            #expect(op.environment(ofPod: exit)["OMJOB_MAIN_EXIT_CODE"] == "0")
            try op.finishExitHandler(exit)
            try await op.expectEnded("ok", phase: "Succeeded", reason: "Completed", pipelineStatus: "success")
        }
    }
}
