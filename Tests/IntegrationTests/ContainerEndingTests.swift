import Foundation
import KubeJSON
import KubeSim
import Testing

/// Endings where the main container itself ends: the kubelet writes a terminated state.
// The endings that run on both servers are in Scenarios/ (described once, run on kubesim and kube-apiserver).
@Suite(.timeLimit(.minutes(3))) struct ContainerEndingTests {
    @Test func exitZeroRunsTheExitHandlerWithSuccess() async throws {
        try await OperatorUnderTest.run { op in
            try await op.create(OperatorUnderTest.omJob("ok"))
            _ = try await op.waitForPod("ok-main")
            try await op.setRunning("ok-main")
            try await op.waitForPhase("ok", "Running")
            try await op.terminate("ok-main", exitCode: 0, reason: "Completed")
            let exit = try await op.waitForExitPod(of: "ok")
            #expect(try await op.environment(ofPod: exit)["OMJOB_MAIN_EXIT_CODE"] == "0")
            try await op.finishExitHandler(exit)
            try await op.expectEnded("ok", phase: "Succeeded", reason: "Completed", pipelineStatus: "success")
            // The Java operator's metrics, counted once per write that happened.
            let port = try await op.healthPort()
            _ = try await until("metrics of the finished run") { () -> Bool? in
                guard let text = MetricsProbe.text(port: port),
                    MetricsProbe.value(text, "omjob_status_transitions_total", ["to_phase": "Succeeded"]) == 1
                else { return nil }
                return true
            }
            let text = MetricsProbe.text(port: port) ?? ""
            #expect(MetricsProbe.value(text, "omjob_pods_created_total", ["type": "main"]) == 1)
            #expect(MetricsProbe.value(text, "omjob_pods_created_total", ["type": "exit-handler"]) == 1)
            #expect(MetricsProbe.value(text, "omjob_main_pod_endings_total", ["reason": "Completed"]) == 1)
            // The exit handler's start latency and the run's duration, as histograms.
            #expect(MetricsProbe.value(text, "omjob_exit_handler_start_latency_seconds_count", [:]) == 1)
            #expect(MetricsProbe.value(text, "omjob_exit_handler_start_latency_seconds_bucket", ["le": "+Inf"]) == 1)
            #expect((MetricsProbe.value(text, "omjob_exit_handler_start_latency_seconds_sum", [:]) ?? 0) > 0)
            #expect(MetricsProbe.value(text, "omjob_duration_seconds_count", ["phase": "Succeeded"]) == 1)
            #expect(
                MetricsProbe.value(text, "omjob_duration_seconds_bucket", ["phase": "Succeeded", "le": "+Inf"]) == 1)
            #expect(text.contains("# TYPE omjob_exit_handler_start_latency_seconds histogram\n"))
            #expect(text.contains("# TYPE omjob_duration_seconds histogram\n"))
        }
    }
}
