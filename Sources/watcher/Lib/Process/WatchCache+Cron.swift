import Shared

/// The cache's CronOMJobs and the link from a run to the CronOMJob that controls it.
extension WatchCache {
    /// Every cached CronOMJob.
    public var crons: [ObjectKey: CronOMJob] { cronStore }

    /// Applies a CronOMJob change; returns the CronOMJob keys to decide again.
    public mutating func apply(_ change: Change<CronOMJob>) -> [ObjectKey] {
        switch change {
        case .upserted(let cron):
            cronStore[cron.metadata.key] = cron
            return [cron.metadata.key]
        case .deleted(let cron):
            cronStore[cron.metadata.key] = nil
            return [cron.metadata.key]
        }
    }

    /// The CronOMJob controlling `omJob` (by its controller ownerReference), whose decision a
    /// change of the run may alter (its active list, Forbid, history).
    public static func cronKeys(owning omJob: OMJob) -> [ObjectKey] {
        let owners = omJob.metadata.ownerReferences ?? []
        return owners.filter { $0.controller == true && $0.kind == CronOMJob.resourceType.kind }
            .map { ObjectKey(namespace: omJob.metadata.namespace ?? "", name: $0.name) }
    }

    /// The OMJobs in `namespace` controlled by the CronOMJob with `uid`.
    public func runs(ownedBy uid: String, in namespace: String) -> [OMJob] {
        omJobs.values.filter { run in
            run.metadata.namespace == namespace && (run.metadata.ownerReferences?.contains { $0.uid == uid && $0.controller == true } ?? false)
        }
    }
}
