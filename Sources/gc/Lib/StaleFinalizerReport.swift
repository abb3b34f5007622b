import BrokerProtocol
import Foundation
import Models

/// An operator finalizer that has held an object longer than the bound.
public struct StaleFinalizer: Hashable, Sendable {
    /// Why it counts as stale.
    public enum Cause: String, Hashable, Sendable {
        /// The object is being deleted and the finalizer still holds it.
        case blocksDeletion
        /// The run finished, yet a pod of it still carries the finalizer (it should have been
        /// released once the ending was recorded).
        case notReleasedAfterCompletion
    }

    /// The object held (OMJob or Pod).
    public var object: ObjectReference
    public var finalizer: String
    public var cause: Cause
    /// Since when it has been holding (deletionTimestamp, or the run's completionTime).
    public var since: Date
    /// A human-readable explanation for the Warning event.
    public var message: String
}

/// Finds operator finalizers older than `GCSettings.staleFinalizerSeconds` and turns them into
/// one Warning event per object and finalizer (deterministic names: repeated reports are
/// `409 AlreadyExists`), plus a count for the `omjob_stale_finalizers` gauge. It only reports:
/// releasing is the decision engine's job, bounded by its own deadlines.
public enum StaleFinalizerReport {
    /// The Event reason, for alerts.
    public static let reason = "StaleFinalizer"
    /// The operator's finalizers all live under this prefix.
    public static let finalizerPrefix = "omjob.pipelines.openmetadata.org/"

    /// In one pass over the objects holding one of our finalizers: the stale ones among
    /// `omJobs` and `pods`, in a stable order, and the earliest instant after `now` at which a
    /// finalizer held now becomes stale (the driver wakes then, since no watch event announces
    /// that time has passed).
    public static func report(omJobs: [OMJob], pods: [PodView], now: Date, settings: GCSettings)
        -> (stale: [StaleFinalizer], nextDue: Date?)
    {
        let bound = TimeInterval(settings.staleFinalizerSeconds)
        var found: [StaleFinalizer] = []
        var nextDue: Date?
        func consider(_ metadata: ObjectMeta, kind: ResourceType, completedAt: Date?) {
            let deleting = metadata.deletionTimestamp.flatMap(KubeTime.parse)
            guard let since = deleting ?? completedAt else { return }
            if now.timeIntervalSince(since) > bound {
                found += stale(metadata, kind: kind, since: since, deleting: deleting != nil, now: now, bound: bound)
            } else if case let due = since.addingTimeInterval(bound), due > now {
                nextDue = min(nextDue ?? due, due)
            }
        }
        for index in omJobs.indices where ours(omJobs[index].metadata) {
            consider(omJobs[index].metadata, kind: OMJob.resourceType, completedAt: nil)
        }
        var completions: Completions?
        for index in pods.indices where ours(pods[index].metadata) {
            if completions == nil { completions = Completions(omJobs) }
            let completedAt = completions?.of(controllerOf: pods[index].metadata)
            consider(pods[index].metadata, kind: Pod.resourceType, completedAt: completedAt)
        }
        found.sort {
            ($0.object.namespace ?? "", $0.object.name ?? "", $0.finalizer) < (
                $1.object.namespace ?? "", $1.object.name ?? "", $1.finalizer
            )
        }
        return (found, nextDue)
    }

    /// When each finished OMJob completed, by UID (the first OMJob of a UID wins). Built only
    /// when a pod holds one of our finalizers, and holding dates, not copies of the OMJobs.
    private struct Completions {
        private var byUID: [String: Date?] = [:]

        init(_ omJobs: [OMJob]) {
            byUID.reserveCapacity(omJobs.count)
            for index in omJobs.indices {
                guard let uid = omJobs[index].metadata.uid, byUID[uid] == nil else { continue }
                let finished = omJobs[index].status?.phase?.isFinished == true
                byUID[uid] = finished ? omJobs[index].status?.completionTime.flatMap(KubeTime.parse) : nil
            }
        }

        /// The completion of the pod's controlling OMJob, if it finished.
        func of(controllerOf pod: ObjectMeta) -> Date? {
            guard let owner = pod.ownerReferences?.first(where: { $0.controller == true }) else { return nil }
            return byUID[owner.uid] ?? nil
        }
    }

    private static func ours(_ metadata: ObjectMeta) -> Bool {
        (metadata.finalizers ?? []).contains { $0.hasPrefix(finalizerPrefix) }
    }

    /// One Warning event per stale finalizer.
    public static func commands(for stale: [StaleFinalizer], now: Date) -> [Command] {
        stale.map { item in
            let event = GCEvents.staleFinalizer(item, now: now)
            let key = ObjectKey(namespace: item.object.namespace ?? "", name: item.object.name ?? "")
            let owner = CommandOwner(kind: item.object.kind == "Pod" ? .pod : .omJob, uid: item.object.uid ?? "")
            return Command(
                id: "\(owner.uid)/event/\(event.metadata.name ?? "")", key: key, owner: owner,
                action: .recordEvent(RecordEvent(event: event)))
        }
    }

    private static func stale(
        _ metadata: ObjectMeta, kind: ResourceType, since: Date, deleting: Bool, now: Date, bound: TimeInterval
    ) -> [StaleFinalizer] {
        let ours = (metadata.finalizers ?? []).filter { $0.hasPrefix(finalizerPrefix) }
        let cause: StaleFinalizer.Cause = deleting ? .blocksDeletion : .notReleasedAfterCompletion
        let object = ObjectReference(
            apiVersion: kind.apiVersion, kind: kind.kind, namespace: metadata.namespace, name: metadata.name,
            uid: metadata.uid)
        return ours.map { finalizer in
            let age = Int(now.timeIntervalSince(since))
            let what = cause == .blocksDeletion ? "has blocked deletion of" : "was not released from"
            let message =
                "Finalizer \(finalizer) \(what) \(kind.kind) \(metadata.name ?? "") for \(age)s (bound \(Int(bound))s)."
            return StaleFinalizer(object: object, finalizer: finalizer, cause: cause, since: since, message: message)
        }
    }
}
