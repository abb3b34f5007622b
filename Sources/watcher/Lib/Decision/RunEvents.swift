import Foundation
import Models

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

/// The Events of a run, built by ``Event/recorded(on:reason:type:about:message:timestamp:)``.
enum RunEvents {
    /// `instance` tells repeated occurrences of a reason apart (an attempt number).
    static func event(_ reason: RunEventReason, message: String, omJob: OMJob, instance: String?, now: String) -> Event
    {
        let object = ObjectReference(
            apiVersion: OMJob.resourceType.apiVersion, kind: OMJob.resourceType.kind,
            namespace: omJob.metadata.namespace, name: omJob.metadata.name, uid: omJob.metadata.uid)
        return .recorded(
            on: object, reason: reason.rawValue, type: reason.type, about: instance ?? "", message: message,
            timestamp: now)
    }
}
