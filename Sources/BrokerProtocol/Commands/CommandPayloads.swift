public import KubeJSON
import Models

/// Create one of a run's pods.
///
/// Idempotent: `409 AlreadyExists` is success when the existing pod belongs to the same OMJob
/// (controller ownerReference UID, or the `omjob.pipelines.openmetadata.org/uid` label for pods made
/// without an owner during a kill). A pod with our name and another owner is never adopted: like a
/// rejection that retrying cannot fix (Invalid, Forbidden, quota after the executor's retry deadline),
/// it is recorded in the run's record (`RunRecord`, see `PodCreateFailure`), which is how the
/// decision learns that the run must end with `CreateFailed` (or that an exit attempt failed).
public struct CreatePod: Codable, Hashable, Sendable {
    /// The full pod body to POST.
    public var pod: PodBody
    public var podType: PodType
    /// 1 for the main pod; the exit-handler attempt otherwise.
    public var attempt: Int

    public init(pod: Pod, podType: PodType, attempt: Int) {
        self.init(pod: .model(pod), podType: podType, attempt: attempt)
    }

    public init(pod: PodBody, podType: PodType, attempt: Int) {
        self.pod = pod
        self.podType = podType
        self.attempt = attempt
    }
}

/// Merge-patch `status` of the OMJob through the status subresource.
///
/// Idempotent and safe against stale decisions: the body carries `metadata.resourceVersion`, so the
/// API server answers `409 Conflict` if the OMJob changed since the watcher saw it. A conflict is not
/// retried by the executor: the newer object reaches the watcher, which decides again.
public struct PatchOMJobStatus: Codable, Hashable, Sendable {
    /// The resourceVersion the decision was made from.
    public var resourceVersion: String
    /// The complete status to write (members left nil are left alone by the merge patch).
    public var status: OMJobStatus
    /// The run's memory to write into the OMJob's annotations first, when it changed (see
    /// `RunRecord`): the status subresource ignores metadata, so it is a write of its own, under
    /// the same resourceVersion, and the status follows under the version that write returns.
    public var record: [String: String]?

    public init(resourceVersion: String, status: OMJobStatus, record: [String: String]? = nil) {
        self.resourceVersion = resourceVersion
        self.status = status
        self.record = record
    }
}

/// The object a finalizer change or deletion applies to.
public enum CommandTarget: Codable, Hashable, Sendable {
    /// The OMJob named by the command's key.
    case omJob
    /// A pod of the run, by name and UID (a newer pod reusing the name is never touched).
    case pod(name: String, uid: String?)
}

/// Add or remove one finalizer.
///
/// Idempotent: the executor reads the object fresh, does nothing when the finalizer is already
/// (or no longer) there, and otherwise writes the new list under that read's resourceVersion,
/// re-reading on conflict. `404 NotFound` (or another UID) means done. These are set operations, so
/// they need no precondition on what the watcher saw.
public struct FinalizerChange: Codable, Hashable, Sendable {
    public var target: CommandTarget
    public var finalizer: String
    /// The object's finalizers as the watcher saw them: the executor first writes the change
    /// under that resourceVersion without reading, and reads fresh only on a conflict (a read
    /// per finalizer change was a quarter of all API requests). nil: read first.
    public var observed: ObservedFinalizers?

    public init(target: CommandTarget, finalizer: String, observed: ObservedFinalizers? = nil) {
        self.target = target
        self.finalizer = finalizer
        self.observed = observed
    }
}

/// An object's finalizer list at one resourceVersion.
public struct ObservedFinalizers: Codable, Hashable, Sendable {
    public var resourceVersion: String
    public var finalizers: [String]

    public init(resourceVersion: String, finalizers: [String]) {
        self.resourceVersion = resourceVersion
        self.finalizers = finalizers
    }

    /// The finalizers of `metadata`; nil when it has no resourceVersion (never read from the API).
    public init?(_ metadata: ObjectMeta) {
        guard let version = metadata.resourceVersion else { return nil }
        self.init(resourceVersion: version, finalizers: metadata.finalizers ?? [])
    }
}

/// DELETE a pod with a UID precondition and a grace period.
///
/// As `stopPod`, the pod still carries the operator's finalizer: the kubelet stops its containers
/// after the grace period, but the object and its logs stay until the finalizer is released.
/// Idempotent: `404 NotFound` and a UID mismatch (`409`) are success.
///
/// With `resourceVersion`, the pod is deleted only as the decision saw it: a pod that changed since
/// (it started, or ended on its own, after a stale cache judged it stuck) answers `409` and is kept;
/// the watch then brings its new state and the watcher decides again.
public struct DeletePod: Codable, Hashable, Sendable {
    public var name: String
    public var uid: String?
    public var gracePeriodSeconds: Int?
    public var resourceVersion: String?

    public init(name: String, uid: String?, gracePeriodSeconds: Int? = nil, resourceVersion: String? = nil) {
        self.name = name
        self.uid = uid
        self.gracePeriodSeconds = gracePeriodSeconds
        self.resourceVersion = resourceVersion
    }
}

/// POST a core/v1 Event whose name is deterministic, so `409 AlreadyExists` means it was recorded.
public struct RecordEvent: Codable, Hashable, Sendable {
    public var event: Event

    public init(event: Event) { self.event = event }
}

/// Decide "the main pod is gone" on a fresh read, never on the watch cache (which may lag).
///
/// The executor GETs the pod; if it is absent (404, or another UID), it applies `thenPatch` (itself
/// guarded by a resourceVersion precondition); if the pod exists, it does nothing: the watch will
/// deliver it and the watcher decides again.
public struct ConfirmPodAbsent: Codable, Hashable, Sendable {
    public var podName: String
    /// The UID the pod had when last seen; nil when it was never seen.
    public var podUID: String?
    public var thenPatch: PatchOMJobStatus

    public init(podName: String, podUID: String?, thenPatch: PatchOMJobStatus) {
        self.podName = podName
        self.podUID = podUID
        self.thenPatch = thenPatch
    }
}

extension PatchOMJobStatus {
    /// The JSON merge patch body for `PATCH …/omjobs/<name>/status`
    /// (`Content-Type: application/merge-patch+json`).
    public func mergePatchBody() -> StatusMergePatch<OMJobStatus> {
        StatusMergePatch(resourceVersion: resourceVersion, status: status)
    }
}

/// A JSON merge patch of an object's status under a resourceVersion precondition, encoded as
/// it is sent (`{"metadata":{"resourceVersion":…},"status":…}`): streamed by the client's
/// encoder, with no `JSONValue` built on the way (a fifth of an executor's status write).
public struct StatusMergePatch<Status: Encodable & Sendable>: Encodable, Sendable {
    struct Metadata: Encodable, Sendable {
        var resourceVersion: String
    }

    var metadata: Metadata
    var status: Status

    public init(resourceVersion: String, status: Status) {
        metadata = Metadata(resourceVersion: resourceVersion)
        self.status = status
    }
}

extension PatchOMJobStatus {
    /// The JSON merge patch body for the record's annotations on the OMJob itself, under the
    /// decision's resourceVersion; nil when there is no record to write.
    public func recordPatchBody() -> JSONValue? {
        guard let record, !record.isEmpty else { return nil }
        return .object([
            "metadata": .object([
                "resourceVersion": .string(resourceVersion),
                "annotations": .object(record.mapValues { .string($0) }),
            ])
        ])
    }
}

extension PodCreateFailure {
    /// The merge patch body the executor sends to record a rejected pod (no precondition: it is a fact).
    public func mergePatchBody() throws -> JSONValue {
        .object(["status": .object(["podCreateFailure": try JSONValue.encoded(from: self)])])
    }

    /// The same fact for the OMJob's annotations, which no CRD schema prunes (see `RunRecord`).
    public func recordPatchBody() -> JSONValue {
        let annotations = RunRecord(podCreateFailure: self).annotations.mapValues { JSONValue.string($0) }
        return .object(["metadata": .object(["annotations": .object(annotations)])])
    }
}
