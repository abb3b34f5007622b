import Foundation
import Logging
import Shared

extension WatcherDriver {
    /// Makes the driver for `session`, hooks it to the broker's results and starts the informers:
    /// OMJobs, CronOMJobs and labelled pods in each watched namespace (nil: all), nodes cluster-wide.
    /// Call on the loop thread before the session starts; the session keeps the driver alive.
    @discardableResult
    public static func attach(to session: WorkerSession, client: KubeClient, namespaces: [String], settings: RunSettings) -> WatcherDriver {
        let driver = WatcherDriver(session: LoopBound(session, executor: session.loop.executor), logger: session.logger,
                                   controllers: [RunController(settings: settings), CronController()])
        session.onResult = { result in driver.assumeIsolated { $0.resultArrived(result) } }
        let scopes: [String?] = namespaces.isEmpty ? [nil] : namespaces
        driver.assumeIsolated { $0.startInformers(client: client, scopes: scopes) }
        return driver
    }

    private func startInformers(client: KubeClient, scopes: [String?]) {
        // Runs wait for OMJobs, pods and nodes only. A CronOMJob CRD may be missing (OpenMetadata
        // installs OMJob alone in some set-ups): the runs must not wait on it. Each CronOMJob the
        // informer lists later is decided on arrival, when the OMJobs it needs are already known.
        unsyncedInformers = scopes.count * 2 + 1
        for scope in scopes {
            let crons = Informer<CronOMJob>(client: client, namespace: scope, handlers: handlers(countsForSync: false) { $0.cronChanged($1) })
            Task { await crons.run() }
            // Stores keep views and shared strings, not whole objects: the memory budget (client-bench).
            // A finished run creates no pod: its templates are dropped (most of its memory).
            let omJobs = Informer<OMJob>(client: client, namespace: scope, transform: { $0.withoutPodTemplatesIfFinished().interned(&$1) },
                                         handlers: handlers { $0.omJobChanged($1) })
            let pods = Informer<PodView>(client: client, namespace: scope, labelSelector: OperatorLabels.omJobName,
                                         transform: { $0.interned(&$1) }, handlers: handlers { $0.podChanged($1) })
            Task { await omJobs.run() }
            Task { await pods.run() }
        }
        let nodes = Informer<Node>(client: client, handlers: handlers { $0.nodeChanged($1) })
        Task { await nodes.run() }
        logger.info("watching", metadata: [LogKeys.namespace: "\(scopes.map { $0 ?? "*" }.joined(separator: ","))"])
    }

    /// Informer callbacks that post each change to the driver, in the informer's order.
    private nonisolated func handlers<Object: KubernetesObject>(
        countsForSync: Bool = true,
        _ apply: @escaping @Sendable (isolated WatcherDriver, WatchCache.Change<Object>) -> Void
    ) -> Informer<Object>.Handlers {
        Informer<Object>.Handlers(
            added: { object in self.post { apply($0, .upserted(object)) } },
            updated: { _, object in self.post { apply($0, .upserted(object)) } },
            deleted: { object in self.post { apply($0, .deleted(object)) } },
            synced: { if countsForSync { self.post { $0.informerSynced() } } })
    }

    func omJobChanged(_ change: WatchCache.Change<OMJob>) {
        changed(cache.apply(change), controller: "omjob", object: "omjob")
        // A run's progress is its schedule's history (Forbid, limits, lastSuccessfulTime).
        let omJob: OMJob
        switch change { case .upserted(let o), .deleted(let o): omJob = o }
        if let cron = WatchCache.controllingCron(of: omJob) { changed([cron], controller: "cronomjob") }
    }

    func cronChanged(_ change: WatchCache.Change<CronOMJob>) {
        changed(cache.apply(change), controller: "cronomjob")
    }

    func podChanged(_ change: WatchCache.Change<PodView>) {
        let (pod, deleted) = switch change { case .upserted(let p): (p, false); case .deleted(let p): (p, true) }
        changed(cache.apply(change), controller: "omjob", object: "pod/" + (pod.metadata.name ?? ""), deleted: deleted)
    }

    func nodeChanged(_ change: WatchCache.Change<Node>) {
        changed(cache.apply(change), controller: "omjob")
    }

    /// After the last informer's first list: report synced (the API answered every list) and
    /// decide every run once, which is how a restarted watcher picks up where the last one was.
    func informerSynced() {
        unsyncedInformers -= 1
        guard unsyncedInformers == 0 else { return }
        logger.info("initial lists done", metadata: ["omjobs": "\(cache.omJobs.count)", "pods": "\(cache.podCount)"])
        session.value.report(WorkerConditions(synced: true, apiReachable: true))
        enqueue(cache.omJobs.keys.sorted(), controller: "omjob")
        enqueue(cache.cronOMJobs.keys.sorted(), controller: "cronomjob")
    }
}
