import Foundation
import Testing

/// Starts one real control plane and a real node joined to it for the suite it is attached to
/// (~30 s), runs the suite's tests with `RealNode.current` set, and stops both after the last
/// one, whatever happened. If they cannot start, the suite fails with the reason.
struct RealNodeTrait: SuiteTrait, TestScoping {
    var isRecursive: Bool { false }

    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void)
        async throws
    {
        let node = try await RealNode.start()
        do {
            try await RealNode.$current.withValue(node) {
                try await RealControlPlane.$current.withValue(node.plane) { try await function() }
            }
        } catch {
            await node.stop()
            throw error
        }
        await node.stop()
    }
}

extension Trait where Self == RealNodeTrait {
    /// The suite runs against a real kube-apiserver v1.20.2 and a real kubelet started for it.
    static var realNode: Self { Self() }
}
