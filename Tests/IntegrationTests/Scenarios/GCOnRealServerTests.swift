import Foundation
import KubeJSON
import Models
import Testing

/// The gc on a real kube-apiserver v1.20.2, installed from deploy/ as its own ServiceAccount: it
/// lists and watches main pods as metadata only (`PartialObjectMetadata`), exit-handler pods
/// for their phase, and OMJobs without their pod templates. A run that ended is cleaned up
/// once its TTL has passed: both pods deleted (nothing runs pods here, so they stay
/// Terminating with a deletionTimestamp), one PodsCleanedUp event, the cleanup time recorded.
@Suite(.realControlPlane, .timeLimit(.minutes(3))) struct GCOnRealServer {
    @Test func aFinishedRunIsCleanedUpAfterItsTTL() async throws {
        try await OperatorUnderTest.run(on: .real) { run in
            try await run.createOMJob("gc-ttl", specExtra: ["ttlSecondsAfterFinished": 2])
            try await run.guardedRunningMainPod("gc-ttl")
            try await run.terminate("gc-ttl-main", exitCode: 0, reason: "Completed")
            let exit = try await run.waitForExitPod(of: "gc-ttl")
            try await run.finishExitHandler(exit)
            try await run.waitForPhase("gc-ttl", "Succeeded")
            let cleanup = try await until("the cleanup time of gc-ttl", timeout: 60) {
                try await run.omJob("gc-ttl")?["status"]?["cleanupTime"]?.stringValue
            }
            let completion = try await run.omJob("gc-ttl")?["status"]?["completionTime"]?.stringValue
            let ended = try #require(completion.flatMap(KubeTime.parse))
            let cleaned = try #require(KubeTime.parse(cleanup))
            #expect(cleaned >= ended.addingTimeInterval(2), "cleaned up at \(cleanup), ended at \(completion ?? "")")
            for pod in ["gc-ttl-main", exit] {
                let stored = try await run.pod(pod)
                #expect(stored == nil || stored?["metadata"]?["deletionTimestamp"] != nil, "\(pod) was not deleted")
            }
            let events = try await run.cluster.list(.events, labelSelector: "").filter {
                $0["reason"]?.stringValue == "PodsCleanedUp"
                    && $0["involvedObject"]?["name"]?.stringValue == "gc-ttl"
            }
            #expect(events.count == 1, "\(events)")
        }
    }
}
