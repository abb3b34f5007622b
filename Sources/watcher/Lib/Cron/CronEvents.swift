import Foundation
import Shared

/// The stable reasons of the Events recorded on a CronOMJob (alerts match on them).
public enum CronEventReason: String, Sendable {
    /// Normal: a run was created for a slot.
    case created = "SuccessfulCreate"
    /// Normal: an active run was deleted to make room (concurrencyPolicy Replace).
    case replaced = "ReplacedActiveRun"
    /// Normal: a due slot waits because a run is still active (concurrencyPolicy Forbid).
    case alreadyActive = "RunAlreadyActive"
    /// Warning: a slot was missed by more than startingDeadlineSeconds and is skipped.
    case missedSchedule = "MissedSchedule"
    /// Warning: more slots were missed than the threshold (the operator was down, or the
    /// schedule was suspended for long); only the latest runs.
    case tooManyMissed = "TooManyMissedTimes"
    /// Warning: `schedule` or `timeZone` cannot be used; fixed by editing the CronOMJob.
    case invalidSchedule = "InvalidSchedule"

    /// `Warning` for what a human should look at, `Normal` otherwise.
    public var type: String {
        switch self {
        case .created, .replaced, .alreadyActive: "Normal"
        case .missedSchedule, .tooManyMissed, .invalidSchedule: "Warning"
        }
    }
}

/// Builds Events on a CronOMJob with names derived from what they are about, so a repeated
/// decision asks for the same Event and gets `409 AlreadyExists` instead of a duplicate.
enum CronEvents {
    static func event(_ reason: CronEventReason, about subject: String, message: String, cron: CronOMJob, now: Date)
        -> Event
    {
        let identity = "\(cron.metadata.uid ?? "")/\(reason.rawValue)/\(subject)"
        let base = String((cron.metadata.name ?? "cronomjob").prefix(200))
        let hash = PodNaming.hash(identity) + PodNaming.hash(identity + "#")
        var event = Event(
            metadata: ObjectMeta(name: "\(base).\(hash)", namespace: cron.metadata.namespace),
            involvedObject: ObjectReference(
                apiVersion: CronOMJob.resourceType.apiVersion, kind: CronOMJob.resourceType.kind,
                namespace: cron.metadata.namespace, name: cron.metadata.name, uid: cron.metadata.uid,
                resourceVersion: cron.metadata.resourceVersion),
            reason: reason.rawValue, message: String(message.prefix(1024)), type: reason.type)
        let timestamp = KubeTime.format(now)
        event.source = EventSource(component: OperatorLabels.component)
        event.reportingComponent = OperatorLabels.component
        event.reportingInstance = OperatorLabels.component
        event.firstTimestamp = timestamp
        event.lastTimestamp = timestamp
        event.count = 1
        event.action = reason.rawValue
        return event
    }
}
