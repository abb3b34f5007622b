import Foundation
import KubeJSON
import KubeSim
import Synchronization
import TestSupport
import Testing

/// Permissions the operator lacks, learnt from the API server's 403s (kubesim answers no
/// SelfSubjectAccessReview; the real server's review is shown by `DropInMatrix`): an optional
/// one is said once and lived without, a required one is never a silent stall.
@Suite(.timeLimit(.minutes(3))) struct PermissionTests {
    static func forbidden(_ what: String) -> KubeAPIError {
        KubeAPIError(
            code: 403, reason: "Forbidden",
            message: "\(what) is forbidden: User \"system:serviceaccount:x:y\" cannot do it")
    }

    /// OpenMetadata's chart grants nothing on nodes: the node informer stops asking, the watcher
    /// syncs without it, and runs end as usual.
    @Test func withoutNodesTheOperatorRunsAndSaysWhatItCosts() async throws {
        try await OperatorUnderTest.run { op in
            op.stopOperator()
            op.sim.interceptor = { request in
                request.method == "GET" && request.path.hasPrefix("/api/v1/nodes")
                    ? .respond(Self.forbidden("nodes")) : nil
            }
            try op.startOperator()
            let port = try await eventually("the health port") { op.healthPort() }
            _ = try await eventually("ready without nodes") {
                (try? LoopbackHTTP.get(port: port, path: "/ready"))?.status == 200 ? true : nil
            }
            let info = try JSONDecoder().decode(
                JSONValue.self, from: Data(try LoopbackHTTP.get(port: port, path: "/info").body.utf8))
            let missing = info["missingPermissions"]?.arrayValue ?? []
            #expect(
                missing.contains { $0["resource"]?.stringValue == "nodes" && $0["required"]?.boolValue == false },
                "\(missing)")
            #expect(try LoopbackHTTP.get(port: port, path: "/health").status == 200)
            #expect(op.log.contains("missing optional permission"))

            try op.create(OperatorUnderTest.omJob("nonodes"))
            _ = try await op.waitForPod("nonodes-main")
            try op.setRunning("nonodes-main")
            try op.terminate("nonodes-main", exitCode: 0, reason: "Completed")
            let exit = try await op.waitForExitPod(of: "nonodes")
            try op.finishExitHandler(exit)
            try await op.expectEnded("nonodes", phase: "Succeeded", reason: "Completed", pipelineStatus: "success")
        }
    }

    /// Without `list` on pods nothing can be decided: the operator says which verb on which
    /// resource, fails `/health` and `/ready`, and recovers by itself once it is granted.
    @Test func aMissingRequiredPermissionFailsHealthUntilGranted() async throws {
        try await OperatorUnderTest.run { op in
            op.stopOperator()
            let refuse = Mutex(true)
            op.sim.interceptor = { request in
                guard request.method == "GET", request.path.contains("/pods"), refuse.withLock({ $0 }) else {
                    return nil
                }
                return .respond(Self.forbidden("pods"))
            }
            try op.startOperator()
            let port = try await eventually("the health port") { op.healthPort() }
            let health = try await eventually("/health failing") { () -> LoopbackHTTP.Response? in
                let answer = try? LoopbackHTTP.get(port: port, path: "/health")
                return answer?.status == 503 ? answer : nil
            }
            #expect(health.body.contains("list pods"), "\(health.body)")
            #expect(try LoopbackHTTP.get(port: port, path: "/ready").status == 503)
            #expect(op.log.contains("missing required permission"))
            refuse.withLock { $0 = false }
            _ = try await eventually("healthy once granted", timeout: 60) {
                (try? LoopbackHTTP.get(port: port, path: "/health"))?.status == 200 ? true : nil
            }
        }
    }
}
