import BrokerProtocol
import Foundation
import KubeJSON
import KubeSim
import Models
import Synchronization
import Testing

@testable import Executor

/// Each action against kubesim: performed once, performed again (idempotent), and on someone
/// else's or stale object.
@Suite(.timeLimit(.minutes(2))) struct CommandPerformerTests {
    @Test func creatingAPodTwiceIsSuccessBothTimes() async throws {
        let h = try await ExecutorHarness()
        let create = h.command("create/run-main", h.createPod(h.pod("run-main")))
        #expect(await h.performer.perform(create) == .done)
        #expect(await h.performer.perform(create) == .alreadyExists)
        #expect(h.storedPod("run-main") != nil)
        try await h.finish()
    }

    @Test func aPodReadFromAFrameIsPostedAsTheWatcherWroteIt() async throws {
        let h = try await ExecutorHarness()
        var pod = h.pod("run-main")
        pod.metadata.annotations = ["note": "q\" b\\ n\n é 日本 🚀"]
        let command = h.command("create/run-main", h.createPod(pod))
        let read = try CommandFrame.decode(Command.self, from: try CommandReadingTests.frameJSON(command))
        #expect(await h.performer.perform(read) == .done)
        #expect(h.storedPod("run-main")?["metadata"]?["annotations"]?["note"]?.stringValue == "q\" b\\ n\n é 日本 🚀")
        #expect(await h.performer.perform(read) == .alreadyExists)
        try await h.finish()
    }

    @Test func aPodWithOurNameAndAnotherOwnerIsNotAdoptedAndTheRunIsTold() async throws {
        let h = try await ExecutorHarness()
        // The other owner must exist: kubesim, like the real garbage collector, deletes a
        // dependent whose owner does not.
        let other = try h.sim.store.create(
            ExecutorHarness.omjobs, namespace: "default",
            object: [
                "apiVersion": "pipelines.openmetadata.org/v1", "kind": "OMJob",
                "metadata": ["name": "other", "namespace": "default"],
                "spec": ["mainPodSpec": ["image": "i", "serviceAccountName": "sa", "command": ["c"]]],
            ])
        let otherUID = try #require(other["metadata"]?["uid"]?.stringValue)
        let stranger = try JSONValue.encoded(from: h.pod("run-main", owner: otherUID))
        _ = try h.sim.store.create(.pods, namespace: "default", object: stranger)
        let outcome = await h.performer.perform(h.command("create/run-main", h.createPod(h.pod("run-main"))))
        guard case .invalid(let message) = outcome else {
            Issue.record("got \(outcome)")
            return try await h.finish()
        }
        #expect(message.contains("another owner"))
        let failure = try h.omJob()["status"]?["podCreateFailure"]
        #expect(failure?["reason"]?.stringValue == "AlreadyExists")
        #expect(failure?["podType"]?.stringValue == "main")
        #expect(
            h.storedPod("run-main")?["metadata"]?["ownerReferences"]?.arrayValue?.first?["uid"]?.stringValue == otherUID
        )
        try await h.finish()
    }

    @Test func aRejectedPodIsRecordedInTheStatus() async throws {
        let h = try await ExecutorHarness()
        h.sim.interceptor = { request in
            request.method == "POST" && request.path.hasSuffix("/pods")
                ? .respond(
                    KubeAPIError(
                        code: 403, reason: "Forbidden", message: "pods \"run-main\" is forbidden: exceeded quota"))
                : nil
        }
        let outcome = await h.performer.perform(h.command("create/run-main", h.createPod(h.pod("run-main"))))
        #expect(outcome.name == "invalid")
        let failure = try h.omJob()["status"]?["podCreateFailure"]
        #expect(failure?["code"]?.intValue == 403)
        #expect(failure?["message"]?.stringValue?.contains("exceeded quota") == true)
        try await h.finish()
    }

    @Test func aTransientFailurePastTheDeadlineIsFailedNotInvalid() async throws {
        let h = try await ExecutorHarness()
        h.sim.interceptor = { request in request.method == "POST" ? .respond(.internalError("etcd is down")) : nil }
        let outcome = await h.performer.perform(h.command("create/run-main", h.createPod(h.pod("run-main"))))
        #expect(outcome.name == "failed")
        #expect(try h.omJob()["status"]?["podCreateFailure"] == nil, "a transient failure ends nothing")
        try await h.finish()
    }

    @Test func aStatusPatchFromAStaleVersionConflicts() async throws {
        let h = try await ExecutorHarness()
        let version = try h.omJob()["metadata"]?["resourceVersion"]?.stringValue ?? ""
        var status = OMJobStatus(phase: .pending)
        status.message = "first"
        #expect(
            await h.performer.perform(
                h.command(
                    "status@\(version)", .patchOMJobStatus(PatchOMJobStatus(resourceVersion: version, status: status))))
                == .done)
        #expect(try h.omJob()["status"]?["phase"]?.stringValue == "Pending")
        status.phase = .running
        #expect(
            await h.performer.perform(
                h.command(
                    "status@\(version)b", .patchOMJobStatus(PatchOMJobStatus(resourceVersion: version, status: status)))
            ) == .conflict)
        #expect(try h.omJob()["status"]?["phase"]?.stringValue == "Pending")
        try await h.finish()
    }

    @Test func finalizersAreSetOperations() async throws {
        let h = try await ExecutorHarness()
        let add = h.command(
            "finalizer-add/omjob", .addFinalizer(FinalizerChange(target: .omJob, finalizer: OperatorLabels.finalizer)))
        let remove = h.command(
            "finalizer-remove/omjob",
            .removeFinalizer(FinalizerChange(target: .omJob, finalizer: OperatorLabels.finalizer)))
        #expect(await h.performer.perform(add) == .done)
        #expect(await h.performer.perform(add) == .done)
        #expect(try h.omJob()["metadata"]?["finalizers"] == [.string(OperatorLabels.finalizer)])
        #expect(await h.performer.perform(remove) == .done)
        #expect(await h.performer.perform(remove) == .done)
        #expect((try h.omJob()["metadata"]?["finalizers"]?.arrayValue ?? []).isEmpty)
        let newer = h.command(
            "finalizer-add/pod/x",
            .addFinalizer(FinalizerChange(target: .pod(name: "run-main", uid: "old-uid"), finalizer: "f")))
        _ = await h.performer.perform(h.command("create/run-main", h.createPod(h.pod("run-main"))))
        #expect(await h.performer.perform(newer) == .notFound, "a pod reusing the name is not touched")
        let finalizers = h.storedPod("run-main")?["metadata"]?["finalizers"]?.arrayValue ?? []
        #expect(finalizers.isEmpty)
        try await h.finish()
    }

    /// With the version the watcher saw, a finalizer change is one write and no read; when that
    /// version is stale the write conflicts and the change falls back to read-then-write.
    @Test func aFinalizerChangeUnderTheObservedVersionSkipsTheRead() async throws {
        let h = try await ExecutorHarness()
        let reads = ReadCounter()
        h.sim.interceptor = { request in
            if request.method == "GET" { reads.count.withLock { $0 += 1 } }
            return nil
        }
        let version = try #require(try h.omJob()["metadata"]?["resourceVersion"]?.stringValue)
        let seen = ObservedFinalizers(resourceVersion: version, finalizers: [])
        let add = FinalizerChange(target: .omJob, finalizer: OperatorLabels.finalizer, observed: seen)
        #expect(await h.performer.perform(h.command("finalizer-add/omjob", .addFinalizer(add))) == .done)
        #expect(try h.omJob()["metadata"]?["finalizers"] == [.string(OperatorLabels.finalizer)])
        #expect(reads.count.withLock { $0 } == 0)
        // The same version again is stale now (the add bumped it): conflict, read, then write.
        let stale = ObservedFinalizers(resourceVersion: version, finalizers: [OperatorLabels.finalizer])
        let remove = FinalizerChange(target: .omJob, finalizer: OperatorLabels.finalizer, observed: stale)
        #expect(await h.performer.perform(h.command("finalizer-remove/omjob", .removeFinalizer(remove))) == .done)
        #expect((try h.omJob()["metadata"]?["finalizers"]?.arrayValue ?? []).isEmpty)
        #expect(reads.count.withLock { $0 } == 1)
        try await h.finish()
    }

    @Test func deletingAPodIsDoneOnceThenNotFound() async throws {
        let h = try await ExecutorHarness()
        _ = await h.performer.perform(h.command("create/run-main", h.createPod(h.pod("run-main"))))
        let uid = h.storedPod("run-main")?["metadata"]?["uid"]?.stringValue
        let delete = h.command(
            "delete/run-main", .deletePod(DeletePod(name: "run-main", uid: uid, gracePeriodSeconds: 0)))
        #expect(await h.performer.perform(delete) == .done)
        #expect(h.storedPod("run-main") == nil)
        #expect(await h.performer.perform(delete) == .notFound)
        try await h.finish()
    }

    @Test func confirmAbsentPatchesOnlyWhenAFreshReadFindsNothing() async throws {
        let h = try await ExecutorHarness()
        _ = await h.performer.perform(h.command("create/run-main", h.createPod(h.pod("run-main"))))
        let uid = h.storedPod("run-main")?["metadata"]?["uid"]?.stringValue
        let version = try h.omJob()["metadata"]?["resourceVersion"]?.stringValue ?? ""
        var status = OMJobStatus(phase: .exitHandlerRunning)
        status.message = "PodLost"
        let confirm = h.command(
            "confirm-absent/run-main@\(version)",
            .confirmPodAbsent(
                ConfirmPodAbsent(
                    podName: "run-main", podUID: uid,
                    thenPatch: PatchOMJobStatus(resourceVersion: version, status: status))))
        #expect(await h.performer.perform(confirm) == .done)
        #expect(try h.omJob()["status"]?["phase"] == nil, "the pod exists: nothing is written")
        _ = try h.sim.store.delete(.pods, namespace: "default", name: "run-main", options: .init(gracePeriodSeconds: 0))
        #expect(await h.performer.perform(confirm) == .done)
        #expect(try h.omJob()["status"]?["phase"]?.stringValue == "ExitHandlerRunning")
        try await h.finish()
    }

    @Test func anEventIsRecordedOnce() async throws {
        let h = try await ExecutorHarness()
        let event = Event(
            metadata: ObjectMeta(name: "run.started", namespace: "default"),
            involvedObject: ObjectReference(kind: "OMJob", namespace: "default", name: "run", uid: h.omJobUID),
            reason: "Started", message: "main pod created", type: "Normal")
        let record = h.command("event/Started", .recordEvent(RecordEvent(event: event)))
        #expect(await h.performer.perform(record) == .done)
        #expect(await h.performer.perform(record) == .alreadyExists)
        try await h.finish()
    }
}

/// GET requests seen by kubesim's interceptor.
final class ReadCounter: Sendable {
    let count = Mutex(0)
}
