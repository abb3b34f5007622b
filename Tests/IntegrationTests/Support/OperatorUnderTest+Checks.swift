import Foundation
import KubeJSON
import KubeSim
import Testing

/// The checks every ending shares: final phase, recorded reason, exit pod environment, exactly
/// one successful exit pod, no finalizer left.
extension OperatorUnderTest {
    /// The environment of a pod's container as a dictionary (plain values only).
    func environment(ofPod name: String) -> [String: String] {
        var result: [String: String] = [:]
        for variable in pod(name)?["spec"]?["containers"]?.arrayValue?.first?["env"]?.arrayValue ?? [] {
            if let key = variable["name"]?.stringValue { result[key] = variable["value"]?.stringValue ?? "" }
        }
        return result
    }

    /// Runs the exit handler to the end with `exitCode` and waits for the run to finish.
    func finishExitHandler(_ pod: String) throws {
        try setRunning(pod)
        try terminate(pod, exitCode: 0, reason: "Completed")
    }

    /// The assertions of every ending, after the run finished.
    func expectEnded(_ name: String, phase: String, reason: String, pipelineStatus: String?, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        try await waitForPhase(name, phase)
        let omJob = self.omJob(name)
        let termination = omJob?["status"]?["mainPodTermination"]
        #expect(termination?["reason"]?.stringValue == reason, "recorded \(termination.map { "\($0)" } ?? "nothing")", sourceLocation: sourceLocation)
        let exitPods = pods(of: name, type: "exit-handler")
        if let pipelineStatus {
            let succeeded = exitPods.filter { $0["status"]?["phase"]?.stringValue == "Succeeded" }
            #expect(succeeded.count == 1, "successful exit pods: \(succeeded.count)", sourceLocation: sourceLocation)
            let env = environment(ofPod: succeeded.first?["metadata"]?["name"]?.stringValue ?? "")
            #expect(env["pipelineStatus"] == pipelineStatus, sourceLocation: sourceLocation)
            #expect(env["OMJOB_NAME"] == name, sourceLocation: sourceLocation)
            #expect(env["OMJOB_NAMESPACE"] == Self.namespace, sourceLocation: sourceLocation)
            #expect(env["OMJOB_MAIN_REASON"] == reason, sourceLocation: sourceLocation)
            #expect(env["pipelineRunId"] == "run-\(name)", sourceLocation: sourceLocation)
        } else {
            #expect(exitPods.isEmpty, sourceLocation: sourceLocation)
        }
        try await expectNoFinalizers(name, sourceLocation: sourceLocation)
    }

    /// Waits until neither the OMJob nor any of its pods carries a finalizer.
    func expectNoFinalizers(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let clean: Bool? = try? await eventually("finalizers of \(name) released") {
            let objects = [self.omJob(name)].compactMap { $0 } + self.pods(of: name, type: "main") + self.pods(of: name, type: "exit-handler")
            return objects.allSatisfy { ($0["metadata"]?["finalizers"]?.arrayValue ?? []).isEmpty } ? true : nil
        }
        #expect(clean == true, "a finalizer was left behind", sourceLocation: sourceLocation)
    }
}
