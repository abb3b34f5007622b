import Models

/// Create one scheduled run of a CronOMJob.
///
/// Idempotent: the name is deterministic per slot, so `409 AlreadyExists` is success when the
/// existing OMJob is this CronOMJob's run for the same slot (`CronOwnership`), and an error
/// otherwise: an OMJob with our name and another owner is never adopted.
public struct CreateOMJob: Codable, Hashable, Sendable {
    /// The full OMJob body to POST (name, labels, annotations, spec).
    public var omJob: OMJob

    public init(omJob: OMJob) { self.omJob = omJob }
}

/// DELETE an OMJob, with a UID precondition.
///
/// Used for `concurrencyPolicy: Replace` (the run's own finalizer then stops its main pod and
/// still runs its exit handler) and by the gc for history limits and TTL deletion.
/// Idempotent: `404 NotFound` and a UID mismatch (`409`) are success.
public struct DeleteOMJob: Codable, Hashable, Sendable {
    public var name: String
    public var uid: String
    /// Why, for the executor's log line (`Replace`, `HistoryLimit`, `TTL`).
    public var reason: String

    public init(name: String, uid: String, reason: String) {
        self.name = name
        self.uid = uid
        self.reason = reason
    }
}

/// Merge-patch `status` of a CronOMJob through the status subresource.
///
/// Carries the resourceVersion the decision was made from: a `409 Conflict` is not retried, the
/// newer CronOMJob reaches the watcher, which decides again.
public struct PatchCronOMJobStatus: Codable, Hashable, Sendable {
    public var resourceVersion: String
    /// The complete status to write.
    public var status: CronOMJobStatus

    public init(resourceVersion: String, status: CronOMJobStatus) {
        self.resourceVersion = resourceVersion
        self.status = status
    }
}

extension CreateOMJob {
    /// Whether `existing`, found under our name after `409 AlreadyExists`, is this very run
    /// (the same CronOMJob's run for the same slot): then the create succeeded earlier. Otherwise
    /// the name belongs to someone else and the create is an error; the object is never adopted.
    public func isSameRun(as existing: OMJob) -> Bool {
        guard let cron = CronOwnership.cronName(of: omJob) else { return false }
        return CronOwnership.cronName(of: existing) == cron
            && existing.metadata.annotations?[CronOwnership.slotAnnotation]
                == omJob.metadata.annotations?[CronOwnership.slotAnnotation]
    }
}

extension PatchCronOMJobStatus {
    /// The JSON merge patch body for `PATCH …/cronomjobs/<name>/status`
    /// (`Content-Type: application/merge-patch+json`); the resourceVersion makes it conditional.
    public func mergePatchBody() -> StatusMergePatch<CronOMJobStatus> {
        StatusMergePatch(resourceVersion: resourceVersion, status: status)
    }
}
