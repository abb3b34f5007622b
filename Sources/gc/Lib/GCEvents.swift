import Foundation
import Models

/// The Events the gc records, built by ``Event/recorded(on:reason:type:about:message:timestamp:)``.
enum GCEvents {
    /// Normal, once per run: its pods were deleted after the TTL.
    static func cleanedUp(_ omJob: OMJob, podCount: Int, ttl: Int, now: Date) -> Event {
        let message = "Deleted \(podCount) pod(s) \(ttl)s after the run finished (ttlSecondsAfterFinished)."
        return .recorded(
            on: reference(omJob), reason: TTLCleanup.cleanedUpReason, type: "Normal", about: "",
            message: message, timestamp: KubeTime.format(now))
    }

    /// Warning, once per object and finalizer: an operator finalizer has held it too long.
    static func staleFinalizer(_ stale: StaleFinalizer, now: Date) -> Event {
        .recorded(
            on: stale.object, reason: StaleFinalizerReport.reason, type: "Warning", about: stale.finalizer,
            message: stale.message, timestamp: KubeTime.format(now))
    }

    static func reference(_ omJob: OMJob) -> ObjectReference {
        ObjectReference(
            apiVersion: OMJob.resourceType.apiVersion, kind: OMJob.resourceType.kind,
            namespace: omJob.metadata.namespace,
            name: omJob.metadata.name, uid: omJob.metadata.uid)
    }
}
