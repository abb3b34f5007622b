import Foundation
import KubeJSON
import KubeSim
import Testing

/// Endings of the run itself: a rejected main pod, a kill, a failing or stuck exit handler, and
/// the operator being away while the main pod ends.
@Suite(.timeLimit(.minutes(3))) struct RunEndingTests {
    @Test func aMainPodTheAPIServerRejectsEndsWithCreateFailed() async throws {
        try await OperatorUnderTest.run { op in
            op.sim.interceptor = { request in
                guard request.method == "POST", request.path.hasSuffix("/pods"),
                      let pod = try? JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any],
                      (pod["metadata"] as? [String: Any])?["name"] as? String == "rejected-main" else { return nil }
                return .respond(KubeAPIError(code: 403, reason: "Forbidden",
                                             message: "pods \"rejected-main\" is forbidden: exceeded quota: compute-resources"))
            }
            try op.create(OperatorUnderTest.omJob("rejected"))
            let exit = try await op.waitForExitPod(of: "rejected")
            #expect(op.pod("rejected-main") == nil)
            try op.finishExitHandler(exit)
            try await op.expectEnded("rejected", phase: "Succeeded", reason: "CreateFailed", pipelineStatus: "failed")
            let message = op.omJob("rejected")?["status"]?["mainPodTermination"]?["message"]?.stringValue ?? ""
            #expect(message.contains("exceeded quota"), "message: \(message)")
        }
    }

    @Test func deletingARunningOMJobStopsTheMainPodAndStillRunsTheExitHandler() async throws {
        try await OperatorUnderTest.run { op in
            try op.create(OperatorUnderTest.omJob("killed"))
            try await PodEndingTests.guardedRunningMainPod(op, "killed")
            _ = try await eventually("finalizer on the OMJob") {
                op.omJob("killed")?["metadata"]?["finalizers"]?.arrayValue?.isEmpty == false ? true : nil
            }
            _ = try op.sim.store.delete(OperatorUnderTest.omjobs, namespace: OperatorUnderTest.namespace, name: "killed")
            // The operator stops the main pod (a graceful delete held by its finalizer); the kubelet reports SIGTERM.
            _ = try await eventually("main pod stopped") { op.pod("killed-main")?["metadata"]?["deletionTimestamp"] != nil ? true : nil }
            #expect(op.pod("killed-main") != nil, "the stopped main pod and its logs are kept")
            try op.terminate("killed-main", exitCode: 143, reason: "Error", signal: 15)
            let exit = try await op.waitForExitPod(of: "killed")
            let env = op.environment(ofPod: exit)
            #expect(env["pipelineStatus"] == "failed")
            #expect(env["OMJOB_MAIN_REASON"] == "Killed")
            _ = try await eventually("Killed recorded") {
                op.omJob("killed")?["status"]?["mainPodTermination"]?["reason"]?.stringValue == "Killed" ? true : nil
            }
            try op.finishExitHandler(exit)
            // With the exit handler done, every finalizer is released and the OMJob goes away.
            _ = try await eventually("the killed OMJob is gone") { op.omJob("killed") == nil ? true : nil }
            let exitPods = op.pods(of: "killed", type: "exit-handler")
            #expect(exitPods.filter { $0["status"]?["phase"]?.stringValue == "Succeeded" }.count <= 1)
            try await op.expectNoFinalizers("killed")
        }
    }

    @Test func aFailedExitHandlerIsRetriedUntilItSucceeds() async throws {
        try await OperatorUnderTest.run { op in
            try op.create(OperatorUnderTest.omJob("retry"))
            _ = try await op.waitForPod("retry-main")
            try op.setRunning("retry-main")
            try op.terminate("retry-main", exitCode: 0, reason: "Completed")
            let first = try await op.waitForExitPod(of: "retry")
            try op.setRunning(first)
            try op.terminate(first, exitCode: 1, reason: "Error")
            let second = try await op.waitForExitPod(of: "retry", count: 2)
            #expect(second != first)
            #expect(op.environment(ofPod: second)["pipelineStatus"] == "success")
            try op.finishExitHandler(second)
            try await op.expectEnded("retry", phase: "Succeeded", reason: "Completed", pipelineStatus: "success")
            #expect(op.omJob("retry")?["status"]?["exitHandlerAttempts"]?.intValue == 2)
        }
    }

    /// The stuck attempt is counted (attempt 2 recorded) before its pod is deleted, so it is never
    /// re-created as "missing".
    @Test func anExitHandlerThatNeverStartsIsReplaced() async throws {
        try await OperatorUnderTest.run { op in
            try op.create(OperatorUnderTest.omJob("exitstuck"))
            _ = try await op.waitForPod("exitstuck-main")
            try op.setRunning("exitstuck-main")
            try op.terminate("exitstuck-main", exitCode: 1, reason: "Error")
            let first = try await op.waitForExitPod(of: "exitstuck")
            try op.waiting(first, reason: "ErrImagePull")
            // By name: the stuck pod may already be gone when attempt 2 is seen.
            let second = "exitstuck-exit-2"
            _ = try await op.waitForPod(second)
            _ = try await eventually("the stuck attempt deleted") { op.pod(first) == nil ? true : nil }
            try op.finishExitHandler(second)
            try await op.expectEnded("exitstuck", phase: "Succeeded", reason: "Error", pipelineStatus: "failed")
            #expect(op.omJob("exitstuck")?["status"]?["exitHandlerAttempts"]?.intValue == 2)
        }
    }

    @Test func theOperatorDownWhileTheMainPodEndsAndIsDeletedCatchesUpOnReturn() async throws {
        try await OperatorUnderTest.run { op in
            try op.create(OperatorUnderTest.omJob("away"))
            try await PodEndingTests.guardedRunningMainPod(op, "away")
            op.stopOperator()
            try op.terminate("away-main", exitCode: 0, reason: "Completed")
            _ = try op.sim.store.delete(.pods, namespace: OperatorUnderTest.namespace, name: "away-main")
            #expect(op.pod("away-main") != nil, "the finalizer keeps the ended pod while the operator is away")
            try op.startOperator()
            let exit = try await op.waitForExitPod(of: "away")
            try op.finishExitHandler(exit)
            try await op.expectEnded("away", phase: "Succeeded", reason: "Completed", pipelineStatus: "success")
        }
    }
}
