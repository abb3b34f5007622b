import Foundation
import Testing

/// Starts one real control plane for the suite it is attached to (~15 s), installs deploy/
/// on it, runs the suite's tests with `RealControlPlane.current` set, and stops it after the
/// last one, whatever happened. If it cannot start, the suite fails with the reason.
struct RealControlPlaneTrait: SuiteTrait, TestScoping {
    /// start.sh's options (e.g. OMJOB_CP_AUDIT_LOG).
    var environment: [String: String] = [:]
    var isRecursive: Bool { false }

    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void)
        async throws
    {
        let plane = try await RealControlPlane.start(environment: environment)
        do {
            try await RealControlPlane.$current.withValue(plane) { try await function() }
        } catch {
            await plane.stop()
            throw error
        }
        await plane.stop()
    }
}

extension Trait where Self == RealControlPlaneTrait {
    /// The suite runs against a real kube-apiserver v1.20.2 started for it.
    static var realControlPlane: Self { Self() }

    /// The same, with start.sh's `environment` (its options).
    static func realControlPlane(environment: [String: String]) -> Self { Self(environment: environment) }
}
