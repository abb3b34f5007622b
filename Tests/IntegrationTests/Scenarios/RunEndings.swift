import Foundation
import KubeJSON
import Testing

/// Endings of the run itself: a kill, a failing exit handler, the operator away while the
/// main pod ends.
extension EndingScenario {
    static let runEndings: [EndingScenario] = [kill, exitHandlerRetry, operatorAway]

    static let kill = EndingScenario(
        name: "deleting a running OMJob stops the main pod and still runs the exit handler"
    ) { run in
        try await run.createOMJob("killed")
        try await run.guardedRunningMainPod("killed")
        _ = try await until("finalizer on the OMJob") {
            try await run.omJob("killed")?["metadata"]?["finalizers"]?.arrayValue?.isEmpty == false ? true : nil
        }
        try await run.deleteOMJob("killed")
        // The operator stops the main pod (a graceful delete held by its finalizer); the kubelet reports SIGTERM.
        _ = try await until("main pod stopped") {
            try await run.pod("killed-main")?["metadata"]?["deletionTimestamp"] != nil ? true : nil
        }
        #expect(try await run.pod("killed-main") != nil, "the stopped main pod and its logs are kept")
        try await run.terminate("killed-main", exitCode: 143, reason: "Error", signal: 15)
        let exit = try await run.waitForExitPod(of: "killed")
        let env = try await run.environment(ofPod: exit)
        #expect(env["pipelineStatus"] == "failed")
        #expect(env["OMJOB_MAIN_REASON"] == "Killed")
        _ = try await until("Killed recorded") {
            try await run.recordedTermination("killed")?["reason"]?.stringValue == "Killed" ? true : nil
        }
        try await run.finishExitHandler(exit)
        // With the exit handler done, every finalizer is released and the OMJob goes away.
        _ = try await until("the killed OMJob is gone") { try await run.omJob("killed") == nil ? true : nil }
        let exitPods = try await run.pods(of: "killed", type: "exit-handler")
        #expect(exitPods.filter { $0["status"]?["phase"]?.stringValue == "Succeeded" }.count <= 1)
        try await run.expectNoFinalizers("killed")
    }

    static let exitHandlerRetry = EndingScenario(name: "a failed exit handler is retried until it succeeds") { run in
        try await run.createOMJob("retry")
        _ = try await run.waitForPod("retry-main")
        try await run.setRunning("retry-main")
        try await run.terminate("retry-main", exitCode: 0, reason: "Completed")
        let first = try await run.waitForExitPod(of: "retry")
        try await run.setRunning(first)
        try await run.terminate(first, exitCode: 1, reason: "Error")
        let second = try await run.waitForExitPod(of: "retry", count: 2)
        #expect(second != first)
        #expect(try await run.environment(ofPod: second)["pipelineStatus"] == "success")
        try await run.finishExitHandler(second)
        try await run.expectEnded("retry", phase: "Succeeded", reason: "Completed", pipelineStatus: "success")
        #expect(try await run.recordedAttempts("retry") == 2)
    }

    static let operatorAway = EndingScenario(
        name: "the operator down while the main pod ends and is deleted catches up on return"
    ) { run in
        try await run.createOMJob("away")
        try await run.guardedRunningMainPod("away")
        run.stopOperator()
        try await run.terminate("away-main", exitCode: 0, reason: "Completed")
        try await run.deletePod("away-main")
        #expect(try await run.pod("away-main") != nil, "the finalizer keeps the ended pod while the operator is away")
        try run.startOperator()
        let exit = try await run.waitForExitPod(of: "away")
        try await run.finishExitHandler(exit)
        try await run.expectEnded("away", phase: "Succeeded", reason: "Completed", pipelineStatus: "success")
    }
}
