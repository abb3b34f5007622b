import Foundation
import KubeJSON
import Testing

/// Endings where the main container itself ends: the kubelet writes a terminated state.
extension EndingScenario {
    static let containerEndings: [EndingScenario] = [
        EndingScenario(name: "exit 0 runs the exit handler with success") { run in
            try await run.createOMJob("ok")
            _ = try await run.waitForPod("ok-main")
            try await run.setRunning("ok-main")
            try await run.waitForPhase("ok", "Running")
            try await run.terminate("ok-main", exitCode: 0, reason: "Completed")
            let exit = try await run.waitForExitPod(of: "ok")
            #expect(try await run.environment(ofPod: exit)["OMJOB_MAIN_EXIT_CODE"] == "0")
            try await run.finishExitHandler(exit)
            try await run.expectEnded("ok", phase: "Succeeded", reason: "Completed", pipelineStatus: "success")
        },
        failedContainer(name: "exit-one", code: 1, reason: "Error"),
        failedContainer(name: "oom", code: 137, reason: "OOMKilled"),
        failedContainer(name: "sigterm", code: 143, reason: "Error", signal: 15),
        EndingScenario(name: "no exitHandlerSpec: the run follows the main pod") { run in
            try await run.createOMJob("bare", exitHandler: false)
            _ = try await run.waitForPod("bare-main")
            try await run.setRunning("bare-main")
            try await run.terminate("bare-main", exitCode: 1, reason: "Error")
            try await run.expectEnded("bare", phase: "Failed", reason: "Error", pipelineStatus: nil)
        },
    ]

    /// The final phase follows the exit handler (OpenMetadata relies on it); the main pod's
    /// failure is in the recorded termination and in pipelineStatus.
    static func failedContainer(name: String, code: Int, reason: String, signal: Int? = nil) -> EndingScenario {
        EndingScenario(name: "exit \(code) (\(reason)) runs the exit handler with failed") { run in
            try await run.createOMJob(name)
            _ = try await run.waitForPod("\(name)-main")
            try await run.setRunning("\(name)-main")
            try await run.terminate("\(name)-main", exitCode: code, reason: reason, signal: signal)
            let exit = try await run.waitForExitPod(of: name)
            #expect(try await run.environment(ofPod: exit)["OMJOB_MAIN_EXIT_CODE"] == "\(code)")
            try await run.finishExitHandler(exit)
            try await run.expectEnded(name, phase: "Succeeded", reason: reason, pipelineStatus: "failed")
            #expect(try await run.omJob(name)?["status"]?["mainPodExitCode"]?.intValue == Int64(code))
        }
    }
}
