import Foundation
import KubeJSON
import KubeSim
import Testing

/// Finishing a run's exit handler; the checks every ending shares are `EndedRunChecks`.
extension OperatorUnderTest {
    /// Runs the exit handler to a successful end (exit 0).
    func finishExitHandler(_ pod: String) throws {
        try setRunning(pod)
        try terminate(pod, exitCode: 0, reason: "Completed")
    }
}

extension OperatorUnderTest: EndedRunChecks {
    var runNamespace: String { Self.namespace }
    func waitUntilPhase(_ name: String, _ phase: String) async throws { try await waitForPhase(name, phase) }
}
