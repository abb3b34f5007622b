import BrokerProtocol
import Foundation
import KubeAPI
import Logging
import Models
import Runtime
import UVLoop

extension WatcherDriver {
    /// Makes the driver for `session`, hooks it to the broker's results and starts the informers:
    /// OMJobs, CronOMJobs and labelled pods in each watched namespace (nil: all), nodes cluster-wide.
    /// Call on the loop thread before the session starts; the session keeps the driver alive.
    @discardableResult
    public static func attach(
        to session: WorkerSession, client: KubeClient, namespaces: [String], settings: RunSettings
    ) -> WatcherDriver {
        let driver = WatcherDriver(
            session: LoopBound(session, executor: session.loop.executor), logger: session.logger,
            controllers: [RunController(settings: settings), CronController()])
        session.onResult = { result in driver.assumeIsolated { $0.resultArrived(result) } }
        let config = session.config
        let permissions = OperatorPermissions.all(
            namespaces: namespaces,
            leaseNamespace: config.leaderElection ? config.operatorNamespace : nil)
        driver.assumeIsolated { $0.client = client }
        Task {
            // Asked first, so that the node informer is not started without the right to list nodes
            // and every missing permission is named at start; answered for every authenticated user.
            let review: PermissionReview?
            do throws(KubeError) { review = try await client.review(permissions) } catch {
                driver.post { $0.reviewUnavailable(error) }
                review = nil
            }
            driver.post { driver in
                if let review { driver.reviewed(review, asked: permissions) }
                driver.startInformers(
                    client: client, scopes: namespaces.isEmpty ? [nil] : namespaces,
                    watchNodes: review?.watchesNodes ?? true, shardSelector: config.shardSelector?.text)
            }
        }
        return driver
    }

    /// With a `shardSelector`, OMJobs and CronOMJobs are listed through it; pods are not (a pod
    /// made before the shards were, or by the Java operator, may lack the labels): the run's
    /// decision reads only the pods of its own OMJob, so another shard's pods are never acted on.
    private func startInformers(client: KubeClient, scopes: [String?], watchNodes: Bool, shardSelector: String?) {
        // Runs wait for OMJobs, pods and (when watched) nodes only. A CronOMJob CRD may be missing
        // (OpenMetadata installs OMJob alone in some set-ups): the runs must not wait on it. Each
        // CronOMJob the informer lists later is decided on arrival, when the OMJobs it needs are known.
        unsyncedInformers = scopes.count * 2 + (watchNodes ? 1 : 0)
        for scope in scopes {
            let crons = Informer<CronOMJob>(
                client: client, namespace: scope, labelSelector: shardSelector,
                handlers: handlers("cronomjobs", scope, countsForSync: false) { $0.cronChanged($1) })
            Task { await crons.run() }
            // Stores keep views and shared strings, not whole objects: the memory budget (client-bench).
            // A finished run creates no pod: its templates are dropped (most of its memory).
            let omJobs = Informer<OMJob>(
                client: client, namespace: scope, labelSelector: shardSelector,
                transform: { $0.withoutPodTemplatesIfFinished().interned(&$1) },
                handlers: handlers("omjobs", scope) { $0.omJobChanged($1) })
            let pods = Informer<PodView>(
                client: client, namespace: scope, labelSelector: OperatorLabels.omJobName,
                transform: { $0.interned(&$1) }, handlers: handlers("pods", scope) { $0.podChanged($1) })
            Task { await omJobs.run() }
            Task { await pods.run() }
        }
        if watchNodes {
            let nodes = Informer<Node>(client: client, handlers: handlers("nodes", nil) { $0.nodeChanged($1) })
            nodeInformer = Task { await nodes.run() }
        }
        var metadata: Logger.Metadata = [
            LogKeys.namespace: "\(scopes.map { $0 ?? "*" }.joined(separator: ","))",
            LogKeys.nodesWatched: "\(watchNodes)",
        ]
        if let shardSelector { metadata[LogKeys.shardSelector] = "\(shardSelector)" }
        logger.info("watching", metadata: metadata)
    }

    /// Informer callbacks that post each change to the driver, in the informer's order.
    private nonisolated func handlers<Object: KubernetesObject>(
        _ resource: String, _ scope: String?, countsForSync: Bool = true,
        _ apply: @escaping @Sendable (isolated WatcherDriver, WatchCache.Change<Object>) -> Void
    ) -> Informer<Object>.Handlers {
        let group = Object.resourceType.group
        let name = "\(resource)@\(scope ?? "*")"
        let permission: @Sendable (String) -> Permission = { verb in
            OperatorPermissions.all(namespaces: scope.map { [$0] } ?? []).first {
                $0.verb == verb && $0.resource == resource && $0.subresource == nil
            }
                ?? Permission(
                    verb, group: group, resource, namespace: scope, required: true, withoutIt: "OMJobs are not run")
        }
        return Informer<Object>.Handlers(
            added: { object in self.post { apply($0, .upserted(object)) } },
            updated: { _, object in self.post { apply($0, .upserted(object)) } },
            deleted: { object in self.post { apply($0, .deleted(object)) } },
            synced: {
                guard countsForSync else { return }
                self.post { driver in
                    if resource == "nodes" { driver.nodesSyncedOrDropped = true }
                    driver.informerSynced()
                }
            },
            failed: { verb, error in self.post { $0.informerFailed(name, permission(verb), error) } },
            recovered: { self.post { $0.informerRecovered(name, [permission("list"), permission("watch")]) } })
    }

    func omJobChanged(_ change: WatchCache.Change<OMJob>) {
        changed(cache.apply(change), controller: "omjob", object: "omjob")
        // A run's progress is its schedule's history (Forbid, limits, lastSuccessfulTime).
        let omJob: OMJob
        switch change {
        case .upserted(let o), .deleted(let o): omJob = o
        }
        if let cron = WatchCache.controllingCron(of: omJob) { changed([cron], controller: "cronomjob") }
    }

    func cronChanged(_ change: WatchCache.Change<CronOMJob>) {
        changed(cache.apply(change), controller: "cronomjob")
    }

    func podChanged(_ change: WatchCache.Change<PodView>) {
        let (pod, deleted) =
            switch change {
            case .upserted(let p): (p, false)
            case .deleted(let p): (p, true)
            }
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
        logger.info(
            "initial lists done",
            metadata: [LogKeys.omJobCount: "\(cache.omJobs.count)", LogKeys.podCount: "\(cache.podCount)"])
        reportConditions()
        enqueue(cache.omJobs.keys.sorted(), controller: "omjob")
        enqueue(cache.cronOMJobs.keys.sorted(), controller: "cronomjob")
    }
}

extension WatcherDriver {
    func reviewUnavailable(_ error: KubeError) {
        logger.warning(
            "cannot review permissions; a missing one shows as 403 Forbidden instead",
            metadata: [LogKeys.reason: "\(error)"])
    }

    func reviewed(_ review: PermissionReview, asked: [Permission]) {
        if access.reviewed(review, asked: asked) { reportConditions() }
        logMissingPermissions()
    }

    func informerFailed(_ informer: String, _ permission: Permission, _ error: KubeError) {
        let changed = access.failed(informer: informer, permission: permission, error: error)
        if error.code == 403, OperatorPermissions.isNodeAccess(permission), let task = nodeInformer {
            // Optional: stop asking, and stop waiting for it; node loss is then read from the pods.
            task.cancel()
            nodeInformer = nil
            if !nodesSyncedOrDropped {
                nodesSyncedOrDropped = true
                informerSynced()
            }
        }
        if changed {
            if case .transport = error {
                logger.error("API server unreachable", metadata: [LogKeys.reason: "\(error)"])
            }
            reportConditions()
            logMissingPermissions()
        }
    }

    func informerRecovered(_ informer: String, _ permissions: [Permission]) {
        guard access.recovered(informer: informer, permissions: permissions) else { return }
        logger.info("API requests succeed again", metadata: [LogKeys.informer: "\(informer)"])
        reportConditions()
    }

    func reportConditions() {
        session.value.report(access.conditions(synced: unsyncedInformers == 0 ? true : nil))
    }

    /// Logs what `AccessState` says is due, and arms the look-up of missing required permissions.
    func logMissingPermissions() {
        let now = clock.now()
        Self.log(missing: access.toLog(now: now), to: logger)
        guard let next = access.nextLook(now: now) else {
            accessTimer?.stop()
            return
        }
        if accessTimer == nil { accessTimer = try? LoopTimer(loop: EventLoop.current) }
        accessTimer?.start(after: clock.delay(until: next)) { [weak self] in
            self?.assumeIsolated { $0.lookAgainAtMissingPermissions() }
        }
    }

    /// One ERROR line per resource and scope, naming every missing verb on it
    /// (`permission.verb` `list,watch,get`) and what the operator does without them.
    static func log(missing: [Permission], to logger: Logger) {
        for group in PermissionGroup.of(missing) {
            logger.error(
                group.required ? "missing required permission" : "missing optional permission",
                metadata: [
                    LogKeys.verb: "\(group.verbs.joined(separator: ","))", LogKeys.resource: "\(group.resourceName)",
                    LogKeys.scope: "\(group.first.namespace ?? "*")", LogKeys.consequence: "\(group.withoutIt)",
                ])
        }
    }

    /// While a required permission is missing: ask again (RBAC is often fixed live), then log.
    private func lookAgainAtMissingPermissions() {
        let asked = access.missingRequired
        guard let client, !asked.isEmpty else { return logMissingPermissions() }
        Task {
            let review = try? await client.review(asked)
            self.post { driver in
                if let review, driver.access.reviewed(review, asked: asked) { driver.reportConditions() }
                driver.logMissingPermissions()
            }
        }
    }
}
