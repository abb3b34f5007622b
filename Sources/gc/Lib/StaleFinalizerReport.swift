import Foundation
import Shared

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

    /// Stale finalizers among `omJobs` and `pods`, in a stable order.
    public static func find(omJobs: [OMJob], pods: [PodView], now: Date, settings: GCSettings) -> [StaleFinalizer] {
        let bound = TimeInterval(settings.staleFinalizerSeconds)
        var found: [StaleFinalizer] = []
        for omJob in omJobs {
            found += stale(omJob.metadata, kind: OMJob.resourceType, completedAt: nil, now: now, bound: bound)
        }
        let completion = Dictionary(
            omJobs.compactMap { job in job.metadata.uid.map { ($0, job) } }, uniquingKeysWith: { first, _ in first })
        for pod in pods {
            let owner = pod.metadata.ownerReferences?.first { $0.controller == true }.flatMap { completion[$0.uid] }
            let completedAt =
                owner?.status?.phase?.isFinished == true ? owner?.status?.completionTime.flatMap(KubeTime.parse) : nil
            found += stale(pod.metadata, kind: Pod.resourceType, completedAt: completedAt, now: now, bound: bound)
        }
        return found.sorted {
            ($0.object.namespace ?? "", $0.object.name ?? "", $0.finalizer) < (
                $1.object.namespace ?? "", $1.object.name ?? "", $1.finalizer
            )
        }
    }

    /// The earliest instant after `now` at which a finalizer held now becomes stale: the driver
    /// wakes then, since no watch event announces that time has passed.
    public static func nextDue(omJobs: [OMJob], pods: [PodView], now: Date, settings: GCSettings) -> Date? {
        let bound = TimeInterval(settings.staleFinalizerSeconds)
        let due = holders(omJobs: omJobs, pods: pods).compactMap { holder -> Date? in
            let at = holder.since.addingTimeInterval(bound)
            return at > now ? at : nil
        }
        return due.min()
    }

    /// Every object holding one of our finalizers, with the instant it started to matter.
    private static func holders(omJobs: [OMJob], pods: [PodView]) -> [(metadata: ObjectMeta, since: Date)] {
        let completion = Dictionary(
            omJobs.compactMap { job in job.metadata.uid.map { ($0, job) } }, uniquingKeysWith: { first, _ in first })
        var found: [(metadata: ObjectMeta, since: Date)] = []
        for omJob in omJobs where ours(omJob.metadata) {
            if let since = omJob.metadata.deletionTimestamp.flatMap(KubeTime.parse) {
                found.append((omJob.metadata, since))
            }
        }
        for pod in pods where ours(pod.metadata) {
            let owner = pod.metadata.ownerReferences?.first { $0.controller == true }.flatMap { completion[$0.uid] }
            let completedAt =
                owner?.status?.phase?.isFinished == true ? owner?.status?.completionTime.flatMap(KubeTime.parse) : nil
            if let since = pod.metadata.deletionTimestamp.flatMap(KubeTime.parse) ?? completedAt {
                found.append((pod.metadata, since))
            }
        }
        return found
    }

    private static func ours(_ metadata: ObjectMeta) -> Bool {
        (metadata.finalizers ?? []).contains { $0.hasPrefix(finalizerPrefix) }
    }

    /// One Warning event per stale finalizer.
    public static func commands(for stale: [StaleFinalizer], now: Date) -> [GCCommand] {
        stale.map { item in
            let event = GCEvents.staleFinalizer(item, now: now)
            let key = ObjectKey(namespace: item.object.namespace ?? "", name: item.object.name ?? "")
            return GCCommand(
                id: "\(item.object.uid ?? "")/event/\(event.metadata.name ?? "")", key: key,
                action: .recordEvent(RecordEvent(event: event)))
        }
    }

    private static func stale(
        _ metadata: ObjectMeta, kind: ResourceType, completedAt: Date?, now: Date, bound: TimeInterval
    ) -> [StaleFinalizer] {
        let ours = (metadata.finalizers ?? []).filter { $0.hasPrefix(finalizerPrefix) }
        let deleting = metadata.deletionTimestamp.flatMap(KubeTime.parse)
        guard let since = deleting ?? completedAt, now.timeIntervalSince(since) > bound else { return [] }
        let cause: StaleFinalizer.Cause = deleting != nil ? .blocksDeletion : .notReleasedAfterCompletion
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
