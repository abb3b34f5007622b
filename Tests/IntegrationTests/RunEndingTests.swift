import Foundation
import KubeJSON
import KubeSim
import Testing

/// Endings of the run itself: a rejected main pod, a kill, a failing or stuck exit handler, and
/// the operator being away while the main pod ends.
// The endings that run on both servers are in Scenarios/ (described once, run on kubesim and kube-apiserver).
@Suite(.timeLimit(.minutes(3))) struct RunEndingTests {
    @Test func aMainPodTheAPIServerRejectsEndsWithCreateFailed() async throws {
        try await OperatorUnderTest.run { op in
            op.sim.interceptor = { request in
                guard request.method == "POST", request.path.hasSuffix("/pods"),
                    let pod = try? JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any],
                    (pod["metadata"] as? [String: Any])?["name"] as? String == "rejected-main"
                else { return nil }
                return .respond(
                    KubeAPIError(
                        code: 403, reason: "Forbidden",
                        message: "pods \"rejected-main\" is forbidden: exceeded quota: compute-resources"))
            }
            try await op.create(OperatorUnderTest.omJob("rejected"))
            let exit = try await op.waitForExitPod(of: "rejected")
            #expect(try await op.pod("rejected-main") == nil)
            try await op.finishExitHandler(exit)
            try await op.expectEnded("rejected", phase: "Succeeded", reason: "CreateFailed", pipelineStatus: "failed")
            let message =
                try await op.omJob("rejected")?["status"]?["mainPodTermination"]?["message"]?.stringValue ?? ""
            #expect(message.contains("exceeded quota"), "message: \(message)")
        }
    }

    /// The stuck attempt is counted (attempt 2 recorded) before its pod is deleted, so it is never
    /// re-created as "missing".
    @Test func anExitHandlerThatNeverStartsIsReplaced() async throws {
        try await OperatorUnderTest.run { op in
            // Every attempt gets this deadline, the second one too: long enough that this test, loaded
            // by the rest of the suite, starts the second attempt before it is judged stuck as well.
            try await op.create(OperatorUnderTest.omJob("exitstuck", specExtra: ["exitHandlerStartDeadlineSeconds": 8]))
            _ = try await op.waitForPod("exitstuck-main")
            try await op.setRunning("exitstuck-main")
            try await op.terminate("exitstuck-main", exitCode: 1, reason: "Error")
            let first = try await op.waitForExitPod(of: "exitstuck")
            try await op.waiting(first, reason: "ErrImagePull")
            // By name: the stuck pod may already be gone when attempt 2 is seen.
            let second = "exitstuck-exit-2"
            _ = try await op.waitForPod(second)
            _ = try await until("the stuck attempt deleted") { try await op.pod(first) == nil ? true : nil }
            try await op.finishExitHandler(second)
            try await op.expectEnded("exitstuck", phase: "Succeeded", reason: "Error", pipelineStatus: "failed")
            #expect(try await op.omJob("exitstuck")?["status"]?["exitHandlerAttempts"]?.intValue == 2)
        }
    }
}
