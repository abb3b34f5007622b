/// Write an ending that rests on a deadline only if a fresh read finds the pod exactly as the
/// decision saw it.
///
/// Why: "never started", "node lost" and "deleted without a report" are concluded from time
/// passing over a cached pod, and a watch cache may lag by seconds (a cut stream reconnecting
/// with backoff). A pod that started, or even completed, meanwhile must not be ended as if it
/// had not. Endings the pod reports itself (a terminal phase, a terminated container) need no
/// such read: they cannot be undone.
///
/// The executor GETs the pod; only when it exists with `podUID` and `resourceVersion` unchanged
/// (and, for node loss, `notReadyNode` is still not Ready on a fresh read too) does it apply
/// `thenPatch` (itself guarded by the OMJob's resourceVersion), then record `thenEvents`
/// (deterministic names: `409` means recorded). Otherwise it answers `conflict`, writes
/// nothing, and the watch delivers the newer state for the next decision.
public struct ConfirmPodUnchanged: Codable, Hashable, Sendable {
    public var podName: String
    public var podUID: String?
    /// The pod's resourceVersion the decision read.
    public var resourceVersion: String
    /// A node that must still be not Ready (the ending is NodeLost); nil otherwise.
    public var notReadyNode: String?
    public var thenPatch: PatchOMJobStatus
    public var thenEvents: [RecordEvent]

    public init(
        podName: String, podUID: String?, resourceVersion: String, notReadyNode: String? = nil,
        thenPatch: PatchOMJobStatus, thenEvents: [RecordEvent] = []
    ) {
        self.podName = podName
        self.podUID = podUID
        self.resourceVersion = resourceVersion
        self.notReadyNode = notReadyNode
        self.thenPatch = thenPatch
        self.thenEvents = thenEvents
    }
}
