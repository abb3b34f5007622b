import Foundation
import KubeJSON
import Testing

/// Endings imposed on the main pod from outside its container: deletion, eviction, a
/// container that never starts.
extension EndingScenario {
    static let podEndings: [EndingScenario] = [
        EndingScenario(name: "manual deletion records the container's end") { run in
            try await run.createOMJob("deleted")
            try await run.guardedRunningMainPod("deleted")
            try await run.deletePod("deleted-main")
            // The kubelet stops the container with SIGTERM and reports it; the finalizer kept the pod to see it.
            try await run.terminate("deleted-main", exitCode: 143, reason: "Error", signal: 15)
            let exit = try await run.waitForExitPod(of: "deleted")
            try await run.finishExitHandler(exit)
            try await run.expectEnded("deleted", phase: "Succeeded", reason: "Error", pipelineStatus: "failed")
        },
        EndingScenario(name: "force deletion without a report records PodDeleted") { run in
            try await run.createOMJob("forced")
            try await run.guardedRunningMainPod("forced")
            try await run.deletePod("forced-main", gracePeriodSeconds: 0)
            let exit = try await run.waitForExitPod(of: "forced")
            // The container may still run: the record says when its deletion was asked.
            try await run.expectStopRequested("forced", asked: .before)
            try await run.finishExitHandler(exit)
            try await run.expectEnded("forced", phase: "Succeeded", reason: "PodDeleted", pipelineStatus: "failed")
        },
        EndingScenario(name: "eviction as v1.20 reports it records Evicted") { run in
            try await run.createOMJob("evicted")
            try await run.guardedRunningMainPod("evicted")
            try await run.evictAsV120("evicted-main")
            let exit = try await run.waitForExitPod(of: "evicted")
            try await run.finishExitHandler(exit)
            try await run.expectEnded("evicted", phase: "Succeeded", reason: "Evicted", pipelineStatus: "failed")
        },
        EndingScenario(name: "a main pod that never starts is deleted and recorded") { run in
            // The only run with a short start deadline: everywhere else a loaded machine must not
            // turn a slow test into a never-started pod. Short, but long enough that this test
            // (playing the kubelet) writes ImagePullBackOff before it passes even while the rest
            // of the suite loads the machine: 3 s was not, nor was 10 s beside the control planes.
            try await run.createOMJob("stuck", specExtra: ["mainPodStartDeadlineSeconds": 20])
            _ = try await run.waitForPod("stuck-main")
            try await run.waiting("stuck-main", reason: "ImagePullBackOff")
            let exit = try await run.waitForExitPod(of: "stuck")
            try await run.finishExitHandler(exit)
            try await run.expectEnded(
                "stuck", phase: "Succeeded", reason: "NeverStarted/ImagePullBackOff", pipelineStatus: "failed")
            let main = try await run.pod("stuck-main")
            #expect(main == nil || main?["metadata"]?["deletionTimestamp"] != nil, "the stuck main pod is deleted")
        },
    ]
}
