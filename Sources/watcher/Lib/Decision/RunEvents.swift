import Foundation
import Shared

/// The stable reasons of the Events the operator records on an OMJob (alerts match on them).
/// Normal events are kept to one per run, so a run stays within its write budget.
enum RunEventReason: String {
    /// Normal: the run finished Succeeded.
    case succeeded = "OMJobSucceeded"
    /// Warning: the run finished Failed.
    case failed = "OMJobFailed"
    /// Warning: the main pod ended other than by completing.
    case mainPodFailed = "MainPodFailed"
    /// Warning: an exit-handler attempt failed and another is started.
    case exitHandlerRetry = "ExitHandlerRetry"
    /// Warning: every exit-handler attempt failed.
    case exitHandlerFailed = "ExitHandlerFailed"
    /// Warning: the OMJob's spec cannot be run.
    case invalidSpec = "InvalidSpec"
    /// Warning: a deleted OMJob was released before its exit handler finished.
    case killDeadlineExceeded = "KillDeadlineExceeded"
    /// Warning: a main pod recorded as possibly still running (node lost) reported its own end
    /// afterwards; the recorded ending stays, and this keeps the late report as evidence.
    case mainPodReportedLate = "MainPodReportedLate"

    var type: String { self == .succeeded ? "Normal" : "Warning" }
}

/// Builds core/v1 Events with deterministic names, so a duplicate command gets `409 AlreadyExists`.
enum RunEvents {
    static func event(_ reason: RunEventReason, message: String, omJob: OMJob, id: String, now: String) -> Event {
        let base = String((omJob.metadata.name ?? "omjob").prefix(200))
        var event = Event(
            metadata: ObjectMeta(
                name: "\(base).\(PodNaming.hash(id))\(PodNaming.hash(id + "#"))", namespace: omJob.metadata.namespace),
            involvedObject: ObjectReference(
                apiVersion: OMJob.resourceType.apiVersion, kind: OMJob.resourceType.kind,
                namespace: omJob.metadata.namespace, name: omJob.metadata.name, uid: omJob.metadata.uid),
            reason: reason.rawValue, message: String(message.prefix(1024)), type: reason.type)
        event.source = EventSource(component: OperatorLabels.component)
        event.reportingComponent = OperatorLabels.component
        event.reportingInstance = OperatorLabels.component
        event.firstTimestamp = now
        event.lastTimestamp = now
        event.count = 1
        event.action = reason.rawValue
        return event
    }
}
