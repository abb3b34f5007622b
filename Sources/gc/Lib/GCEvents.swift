import Foundation
import Shared

/// Events the gc records, named after what they are about so a repeat is `409 AlreadyExists`.
enum GCEvents {
    /// Normal, once per run: its pods were deleted after the TTL.
    static func cleanedUp(_ omJob: OMJob, podCount: Int, ttl: Int, now: Date) -> Event {
        let message = "Deleted \(podCount) pod(s) \(ttl)s after the run finished (ttlSecondsAfterFinished)."
        return event(
            on: reference(omJob), name: name(omJob.metadata, suffix: "pods-cleaned-up"),
            reason: TTLCleanup.cleanedUpReason, type: "Normal", message: message, now: now)
    }

    /// Warning, once per object and finalizer: an operator finalizer has held it too long.
    static func staleFinalizer(_ stale: StaleFinalizer, now: Date) -> Event {
        let suffix = "stale-finalizer-" + (stale.finalizer.split(separator: "/").last.map(String.init) ?? "finalizer")
        return event(
            on: stale.object, name: name(ObjectMeta(name: stale.object.name), uid: stale.object.uid, suffix: suffix),
            reason: StaleFinalizerReport.reason, type: "Warning", message: stale.message, now: now)
    }

    static func reference(_ omJob: OMJob) -> ObjectReference {
        ObjectReference(
            apiVersion: OMJob.resourceType.apiVersion, kind: OMJob.resourceType.kind,
            namespace: omJob.metadata.namespace,
            name: omJob.metadata.name, uid: omJob.metadata.uid)
    }

    /// `<object name>.<uid head>.<suffix>`: unique per object incarnation, stable across restarts.
    private static func name(_ metadata: ObjectMeta, uid: String? = nil, suffix: String) -> String {
        let uidHead = String((uid ?? metadata.uid ?? "").prefix(8))
        let base = String((metadata.name ?? "object").prefix(200))
        return uidHead.isEmpty ? "\(base).\(suffix)" : "\(base).\(uidHead).\(suffix)"
    }

    private static func event(
        on object: ObjectReference, name: String, reason: String, type: String, message: String, now: Date
    ) -> Event {
        var event = Event(
            metadata: ObjectMeta(name: name, namespace: object.namespace), involvedObject: object,
            reason: reason, message: message, type: type)
        let timestamp = KubeTime.format(now)
        event.source = EventSource(component: OperatorLabels.component)
        event.reportingComponent = OperatorLabels.component
        event.reportingInstance = OperatorLabels.component
        event.firstTimestamp = timestamp
        event.lastTimestamp = timestamp
        event.count = 1
        event.action = reason
        return event
    }
}
