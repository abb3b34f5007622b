import Foundation
import KubeJSON
import KubeSim
import Shared
import Testing

@testable import Executor

/// The fresh reads behind endings concluded from a deadline, and deletions of a pod only as the
/// watcher saw it, against kubesim.
@Suite(.timeLimit(.minutes(2))) struct ConfirmUnchangedTests {
    @Test func theEndingIsWrittenOnlyWhileThePodIsAsSeen() async throws {
        let h = try await ExecutorHarness()
        let (uid, seen) = try await Self.createdPod(h)
        let stale = try h.command(
            "confirm-unchanged/run-main@\(seen)", .confirmPodUnchanged(Self.confirm(h, uid: uid, podVersion: "1")))
        #expect(await h.performer.perform(stale) == .conflict, "a version the pod no longer has")
        #expect(try h.omJob()["status"]?["phase"] == nil)
        #expect(h.events().isEmpty)

        let current = try h.command(
            "confirm-unchanged/run-main@\(seen)", .confirmPodUnchanged(Self.confirm(h, uid: uid, podVersion: seen)))
        #expect(await h.performer.perform(current) == .done)
        #expect(try h.omJob()["status"]?["mainPodTermination"]?["reason"]?.stringValue == "NeverStarted/Pending")
        #expect(h.events() == ["MainPodFailed"], "the event travels with the record")
        try await h.finish()
    }

    @Test func aPodThatChangedOrWentIsNotConfirmed() async throws {
        let h = try await ExecutorHarness()
        let (uid, seen) = try await Self.createdPod(h)
        try h.sim.store.mutate(.pods, namespace: "default", name: "run-main", subresource: .status) { pod in
            pod.set(["status", "phase"], "Succeeded")
        }
        let confirm = try h.command(
            "confirm-unchanged/run-main@\(seen)", .confirmPodUnchanged(Self.confirm(h, uid: uid, podVersion: seen)))
        #expect(await h.performer.perform(confirm) == .conflict, "it completed while the cache said Pending")
        _ = try h.sim.store.delete(.pods, namespace: "default", name: "run-main", options: .init(gracePeriodSeconds: 0))
        #expect(await h.performer.perform(confirm) == .conflict, "gone: PodLost is decided on its own")
        #expect(try h.omJob()["status"]?["phase"] == nil)
        try await h.finish()
    }

    @Test func nodeLossIsConfirmedOnlyWhileTheNodeIsStillNotReady() async throws {
        let h = try await ExecutorHarness()
        let (uid, seen) = try await Self.createdPod(h)
        _ = try h.sim.store.create(
            .nodes, namespace: nil,
            object: [
                "apiVersion": "v1", "kind": "Node", "metadata": ["name": "worker-1"],
                "status": [
                    "conditions": [["type": "Ready", "status": "True", "lastTransitionTime": "2025-01-09T15:00:00Z"]]
                ],
            ])
        var payload = try Self.confirm(h, uid: uid, podVersion: seen)
        payload.notReadyNode = "worker-1"
        let confirm = h.command("confirm-unchanged/run-main@\(seen)", .confirmPodUnchanged(payload))
        #expect(await h.performer.perform(confirm) == .conflict, "the node is back")
        try h.sim.store.mutate(.nodes, namespace: nil, name: "worker-1", subresource: .status) { node in
            node.set(
                ["status", "conditions"],
                [["type": "Ready", "status": "Unknown", "lastTransitionTime": "2025-01-09T15:50:00Z"]])
        }
        #expect(await h.performer.perform(confirm) == .done)
        try await h.finish()
    }

    @Test func aDeletionAsSeenKeepsAPodThatChangedSince() async throws {
        let h = try await ExecutorHarness()
        let (uid, seen) = try await Self.createdPod(h)
        try h.sim.store.mutate(.pods, namespace: "default", name: "run-main", subresource: .status) { pod in
            pod.set(["status", "phase"], "Succeeded")
        }
        let stale = h.command(
            "delete/run-main@\(seen)",
            .deletePod(DeletePod(name: "run-main", uid: uid, gracePeriodSeconds: 0, resourceVersion: seen)))
        #expect(await h.performer.perform(stale) == .conflict)
        #expect(h.storedPod("run-main") != nil, "a pod that moved on since the cache saw it stays")
        let now = try #require(h.storedPod("run-main")?["metadata"]?["resourceVersion"]?.stringValue)
        let current = h.command(
            "delete/run-main@\(now)",
            .deletePod(DeletePod(name: "run-main", uid: uid, gracePeriodSeconds: 0, resourceVersion: now)))
        #expect(await h.performer.perform(current) == .done)
        #expect(h.storedPod("run-main") == nil)
        try await h.finish()
    }

    /// The run's main pod, created through the performer: its UID and resourceVersion.
    static func createdPod(_ h: ExecutorHarness) async throws -> (uid: String, version: String) {
        #expect(await h.performer.perform(h.command("create/run-main", h.createPod(h.pod("run-main")))) == .done)
        let metadata = h.storedPod("run-main")?["metadata"]
        return (try #require(metadata?["uid"]?.stringValue), try #require(metadata?["resourceVersion"]?.stringValue))
    }

    /// "Never started" for the main pod at `podVersion`, with its Warning event.
    static func confirm(_ h: ExecutorHarness, uid: String, podVersion: String) throws -> ConfirmPodUnchanged {
        let version = try #require(try h.omJob()["metadata"]?["resourceVersion"]?.stringValue)
        var status = OMJobStatus(phase: .exitHandlerRunning)
        status.mainPodTermination = MainPodTermination(reason: "NeverStarted/Pending", source: "NeverStarted")
        let event = Event(
            metadata: ObjectMeta(name: "run.main-pod-failed", namespace: "default"),
            involvedObject: ObjectReference(kind: "OMJob", namespace: "default", name: "run", uid: h.omJobUID),
            reason: "MainPodFailed", message: "main pod ended: NeverStarted/Pending", type: "Warning")
        return ConfirmPodUnchanged(
            podName: "run-main", podUID: uid, resourceVersion: podVersion,
            thenPatch: PatchOMJobStatus(resourceVersion: version, status: status),
            thenEvents: [RecordEvent(event: event)])
    }
}

extension ExecutorHarness {
    /// Reasons of the events recorded in the namespace.
    func events() -> [String] {
        ((try? sim.store.list(.events, namespace: "default"))?.items ?? []).compactMap { $0["reason"]?.stringValue }
    }
}
