import BrokerProtocol
import Foundation
import Models

/// The gc's TTL rule for one OMJob: at `completionTime + ttlSecondsAfterFinished` delete the
/// run's pods, then record that it did.
///
/// Guarantees:
/// - Never early: nothing happens before the run is Succeeded or Failed, while an exit-handler
///   pod still runs, or before the expiry computed from `completionTime` (API state, not a
///   timer), so a restart recomputes the same instant.
/// - Never twice: pods already being deleted are not asked again; the cleanup time (an
///   annotation, mirrored into `status.cleanupTime`: `RunRecord`) records that the cleanup
///   happened, and the one event has a deterministic name, emitted before the record so a
///   crash between the two repeats it into `409 AlreadyExists`, not a duplicate.
/// Assumption: a clock set backwards only delays cleanup; one set forwards is trusted (the gc
/// has no other source of time), as Kubernetes' own TTL controller does.
public enum TTLCleanup {
    /// Where one OMJob stands, for logs and metrics.
    public enum State: String, Hashable, Sendable, CaseIterable {
        /// Not Succeeded or Failed yet (or being deleted: the kill path owns it).
        case notFinished
        /// Finished but an exit-handler pod has not ended.
        case waitingForExitHandler
        /// Finished without a readable completionTime: nothing can be computed, nothing is done.
        case noCompletionTime
        /// TTL not reached.
        case waitingForTTL
        /// Pods are being deleted and the cleanup recorded.
        case cleaningUp
        /// Cleanup recorded earlier; only stragglers (if any) are deleted.
        case cleanedUp
    }

    /// The decision for one OMJob.
    public struct Outcome: Hashable, Sendable {
        public var state: State
        public var commands: [Command]
        /// When to decide again without a change (the TTL expiry), nil to wait for a change.
        public var wakeAt: Date?
    }

    /// Event reason recorded once per run when its pods are deleted.
    public static let cleanedUpReason = "PodsCleanedUp"

    /// Decides for `omJob`, given the pods the gc found for it (filtered here by owner UID).
    public static func decide(omJob: OMJob, pods: [PodView], now: Date, settings: GCSettings) -> Outcome {
        // Phase and completionTime are the status's own (the run record holds neither): the
        // record, parsed from annotations, is read only once the TTL has expired.
        guard let uid = omJob.metadata.uid, omJob.status?.phase?.isFinished == true,
            !omJob.metadata.isBeingDeleted
        else { return Outcome(state: .notFinished, commands: [], wakeAt: nil) }
        let runPods = RunPods(pods: pods, omJobUID: uid)
        guard runPods.runningExitHandlers.isEmpty else {
            return Outcome(state: .waitingForExitHandler, commands: [], wakeAt: nil)
        }
        guard let completion = omJob.status?.completionTime.flatMap(KubeTime.parse) else {
            return Outcome(state: .noCompletionTime, commands: [], wakeAt: nil)
        }
        let ttl = max(0, omJob.spec?.ttlSecondsAfterFinished ?? settings.defaultTTLSeconds)
        let expiry = completion.addingTimeInterval(TimeInterval(ttl))
        guard now >= expiry else { return Outcome(state: .waitingForTTL, commands: [], wakeAt: expiry) }
        let status = omJob.effectiveStatus

        var actions = runPods.undeleted.map {
            CommandAction.deletePod(DeletePod(name: $0.metadata.name ?? "", uid: $0.metadata.uid))
        }
        let state: State
        if status.cleanupTime == nil {
            state = .cleaningUp
            actions.append(
                .recordEvent(
                    RecordEvent(event: GCEvents.cleanedUp(omJob, podCount: runPods.all.count, ttl: ttl, now: now))))
            var recorded = OMJobStatus()
            recorded.cleanupTime = KubeTime.format(now)
            var record = RunRecord(annotations: omJob.metadata.annotations)
            record.cleanupTime = recorded.cleanupTime
            actions.append(
                .patchOMJobStatus(
                    PatchOMJobStatus(
                        resourceVersion: omJob.metadata.resourceVersion ?? "", status: recorded,
                        record: record.annotationsToWrite(for: omJob))))
        } else {
            state = .cleanedUp
            if settings.deleteOMJobAfterTTL {
                actions.append(.deleteOMJob(DeleteOMJob(name: omJob.metadata.name ?? "", uid: uid, reason: "TTL")))
            }
        }
        return Outcome(
            state: state, commands: Command.gcList(actions, key: omJob.metadata.key, owner: .omJob(uid)), wakeAt: nil)
    }
}
