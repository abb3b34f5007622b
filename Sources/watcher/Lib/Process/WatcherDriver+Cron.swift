import Shared

/// The CronOMJob controller's part of the driver: its informer and how changes reach it.
extension WatcherDriver {
    /// The CronOMJob informer of one scope (nil: all namespaces); counted in `unsyncedInformers`
    /// by the caller.
    func startCronInformer(client: KubeClient, scope: String?) {
        let crons = Informer<CronOMJob>(client: client, namespace: scope, handlers: handlers { $0.cronChanged($1) })
        Task { await crons.run() }
    }

    func cronChanged(_ change: WatchCache.Change<CronOMJob>) {
        changed(cache.apply(change), controller: "cronomjob")
    }

    /// A run changed: its CronOMJob decides again (active list, Forbid, lastSuccessfulTime).
    func runOfCronChanged(_ change: WatchCache.Change<OMJob>) {
        let omJob: OMJob
        switch change {
        case .upserted(let o), .deleted(let o): omJob = o
        }
        let keys = WatchCache.cronKeys(owning: omJob)
        if !keys.isEmpty { changed(keys, controller: "cronomjob") }
    }
}
