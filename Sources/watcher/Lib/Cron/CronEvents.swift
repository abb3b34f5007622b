import Foundation
import Models

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

/// The Events of a CronOMJob, built by ``Event/recorded(on:reason:type:about:message:timestamp:)``;
/// `subject` is what the Event is about (a slot, a run).
enum CronEvents {
    static func event(_ reason: CronEventReason, about subject: String, message: String, cron: CronOMJob, now: Date)
        -> Event
    {
        let object = ObjectReference(
            apiVersion: CronOMJob.resourceType.apiVersion, kind: CronOMJob.resourceType.kind,
            namespace: cron.metadata.namespace, name: cron.metadata.name, uid: cron.metadata.uid,
            resourceVersion: cron.metadata.resourceVersion)
        return .recorded(
            on: object, reason: reason.rawValue, type: reason.type, about: subject, message: message,
            timestamp: KubeTime.format(now))
    }
}
