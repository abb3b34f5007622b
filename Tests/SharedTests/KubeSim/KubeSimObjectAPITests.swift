import Foundation
import KubeJSON
import KubeSim
import Testing

@testable import Shared

/// The rest of the typed API against kubesim: status subresource, replace with a stale
/// resourceVersion, delete preconditions and propagation, pod logs, get of a missing object.
@Suite struct KubeSimObjectAPITests {
    @Test func statusReplaceDeleteAndLogs() async throws {
        let harness = try await SimHarness()
        let client = harness.client()
        var job = try await client.create(
            OMJob(
                metadata: ObjectMeta(name: "run-1", namespace: "default"),
                spec: try JSONDecoder().decode(
                    OMJobSpec.self, from: JSONEncoder().encode(SimHarness.omjob("x")["spec"]!))))
        #expect(job.metadata.uid != nil)

        // Status subresource: a merge patch of status, then a replace of status.
        let patched = try await client.patch(
            OMJob.self, namespace: "default", name: "run-1",
            patch: ["status": ["phase": "Running", "mainPodName": "run-1-main"]], subresource: "status")
        #expect(patched.status?.mainPodName == "run-1-main")
        job = patched
        job.status?.message = "replaced"
        let replaced = try await client.replaceStatus(job)
        #expect(replaced.status?.message == "replaced")

        // A replace carrying the old resourceVersion conflicts (optimistic concurrency).
        var conflict: KubeError?
        do { _ = try await client.replaceStatus(patched) } catch { conflict = error }
        #expect(conflict?.isConflict == true, "\(String(describing: conflict))")

        // Delete with a wrong uid precondition is refused; with the right one it succeeds.
        var refused: KubeError?
        do {
            try await client.delete(
                resource: OMJob.resourceType, namespace: "default", name: "run-1",
                options: Shared.DeleteOptions(preconditions: .init(uid: "not-the-uid")))
        } catch { refused = error }
        #expect(refused?.code == 409)
        try await client.delete(
            resource: OMJob.resourceType, namespace: "default", name: "run-1",
            options: Shared.DeleteOptions(
                gracePeriodSeconds: 0, propagationPolicy: .background, preconditions: .init(uid: replaced.metadata.uid))
        )
        var missing: KubeError?
        do { _ = try await client.get(OMJob.self, namespace: "default", name: "run-1") } catch { missing = error }
        #expect(missing?.isNotFound == true)
        #expect(missing?.disposition == .permanent)
        try await harness.finish(client)
    }

    @Test func podLogsAreReadAsText() async throws {
        let harness = try await SimHarness()
        let client = harness.client()
        let pod: JSONValue = [
            "apiVersion": "v1", "kind": "Pod", "metadata": ["name": "p", "namespace": "default"],
            "spec": ["restartPolicy": "Never", "containers": [["name": "main", "image": "busybox"]]],
        ]
        _ = try harness.sim.store.create(GroupResource(group: "", resource: "pods"), namespace: "default", object: pod)
        try harness.sim.store.appendLog(
            namespace: "default", pod: "p", container: "main", "line one\nline two\nline three\n")
        let tail = try await client.logs(namespace: "default", pod: "p", container: "main", tailLines: 2)
        #expect(tail == "line two\nline three\n")
        try await harness.finish(client)
    }
}
