import Foundation
import KubeJSON
import KubeSim
import Testing

/// Endings where the main container itself ends: the kubelet writes a terminated state.
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
            // The Java operator's metrics, counted once per write that happened.
            let port = try await eventually("health port") { op.healthPort() }
            _ = try await eventually("metrics of the finished run") { () -> Bool? in
                guard let text = MetricsProbe.text(port: port),
                      MetricsProbe.value(text, "omjob_status_transitions_total", ["to_phase": "Succeeded"]) == 1 else { return nil }
                return true
            }
            let text = MetricsProbe.text(port: port) ?? ""
            #expect(MetricsProbe.value(text, "omjob_pods_created_total", ["type": "main"]) == 1)
            #expect(MetricsProbe.value(text, "omjob_pods_created_total", ["type": "exit-handler"]) == 1)
            #expect(MetricsProbe.value(text, "omjob_main_pod_endings_total", ["reason": "Completed"]) == 1)
        }
    }

    @Test(arguments: [
        (name: "exit-one", code: 1, reason: "Error", signal: Int?.none),
        (name: "oom", code: 137, reason: "OOMKilled", signal: nil),
        (name: "sigterm", code: 143, reason: "Error", signal: 15),
    ])
    func failedContainerRunsTheExitHandlerWithFailed(name: String, code: Int, reason: String, signal: Int?) async throws {
        try await OperatorUnderTest.run { op in
            try op.create(OperatorUnderTest.omJob(name))
            _ = try await op.waitForPod("\(name)-main")
            try op.setRunning("\(name)-main")
            try op.terminate("\(name)-main", exitCode: code, reason: reason, signal: signal)
            let exit = try await op.waitForExitPod(of: name)
            #expect(op.environment(ofPod: exit)["OMJOB_MAIN_EXIT_CODE"] == "\(code)")
            try op.finishExitHandler(exit)
            // The final phase follows the exit handler (OpenMetadata relies on it); the main pod's
            // failure is in the recorded termination and in pipelineStatus.
            try await op.expectEnded(name, phase: "Succeeded", reason: reason, pipelineStatus: "failed")
            #expect(op.omJob(name)?["status"]?["mainPodExitCode"]?.intValue == Int64(code))
        }
    }

    @Test func noExitHandlerSpecFollowsTheMainPod() async throws {
        try await OperatorUnderTest.run { op in
            try op.create(OperatorUnderTest.omJob("bare", exitHandler: false))
            _ = try await op.waitForPod("bare-main")
            try op.setRunning("bare-main")
            try op.terminate("bare-main", exitCode: 1, reason: "Error")
            try await op.expectEnded("bare", phase: "Failed", reason: "Error", pipelineStatus: nil)
        }
    }
}
