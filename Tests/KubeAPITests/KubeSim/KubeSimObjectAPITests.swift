import Foundation
import KubeJSON
import KubeSim
import Testing

@testable import KubeAPI
@testable import Models

/// The rest of the typed API against kubesim: status subresource, replace with a stale
/// resourceVersion, delete preconditions and propagation, pod logs, get of a missing object.
@Suite(.timeLimit(.minutes(2))) struct KubeSimObjectAPITests {
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
                options: KubeAPI.DeleteOptions(preconditions: .init(uid: "not-the-uid")))
        } catch { refused = error }
        #expect(refused?.code == 409)
        try await client.delete(
            resource: OMJob.resourceType, namespace: "default", name: "run-1",
            options: KubeAPI.DeleteOptions(
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

    /// The Lease carries the operator's labels from its creation and through every renewal (a
    /// replace sets every label), so uninstalling finds it with `-l app.kubernetes.io/managed-by=omjob-operator`.
    @Test func theLeaseCarriesTheOperatorsLabels() async throws {
        #expect(OperatorLabels.lease(shard: "") == ["app.kubernetes.io/managed-by": "omjob-operator"])
        let labels = OperatorLabels.lease(shard: "team-a")
        #expect(
            labels == [
                "app.kubernetes.io/managed-by": "omjob-operator", "omjob.pipelines.openmetadata.org/shard": "team-a",
            ])
        let harness = try await SimHarness()
        let client = harness.client()
        func stored(_ name: String) async throws -> JSONValue? {
            try await client.get(JSONValue.self, resource: KubeClient.leases, namespace: "default", name: name)[
                "metadata"]?["labels"]
        }
        let record = LeaseRecord(holderIdentity: "pod-a", leaseDurationSeconds: 15)
        let created = try await client.createLease(
            namespace: "default", name: "omjob-operator-team-a", record: record, labels: labels, timeout: .seconds(10))
        #expect(try await stored("omjob-operator-team-a") == .object(labels.mapValues { .string($0) }))
        _ = try await client.updateLease(
            namespace: "default", name: "omjob-operator-team-a", record: record, labels: labels,
            resourceVersion: created.resourceVersion, timeout: .seconds(10))
        #expect(try await stored("omjob-operator-team-a") == .object(labels.mapValues { .string($0) }))

        // A Lease created without labels gets them at its next renewal.
        let bare = try await client.createLease(
            namespace: "default", name: "omjob-operator", record: record, timeout: .seconds(10))
        #expect(try await stored("omjob-operator") != .object(labels.mapValues { .string($0) }))
        _ = try await client.updateLease(
            namespace: "default", name: "omjob-operator", record: record, labels: labels,
            resourceVersion: bare.resourceVersion, timeout: .seconds(10))
        #expect(try await stored("omjob-operator") == .object(labels.mapValues { .string($0) }))
        try await harness.finish(client)
    }
}
