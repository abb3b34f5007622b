import KubeAPI
import Models
import Runtime

/// The gc's view of the cluster: informers of OMJobs, of the pods labelled with an OMJob name,
/// and of CronOMJobs, in every watched namespace (one informer per namespace and kind, or one
/// per kind for all namespaces). The driver reads a snapshot of all of them per sweep.
///
/// Guarantees: `snapshot()` is nil until the OMJob and pod informers have finished their first
/// list, so no decision is ever made from a partial cache (a run whose pods were not listed yet
/// would look like a run without pods, and its cleanup would be recorded without deleting
/// them). A CronOMJob scope not listed yet contributes nothing: fewer deletions, never more.
final class GCCache: Sendable {
    private let omJobs: [Informer<OMJob>]
    private let pods: [Informer<PodView>]
    private let crons: [Informer<CronOMJob>]
    private let shardSelector: ShardSelector?

    /// A consistent-enough copy of the caches (each informer's store as of one instant).
    struct Snapshot: Sendable {
        var omJobs: [OMJob]
        var pods: [PodView]
        var crons: [CronOMJob]
    }

    /// Informers for `namespaces` (empty: all); `changed` runs on every add, update, delete and sync.
    /// With a `shardSelector`, only the shard's OMJobs and CronOMJobs are listed, and only the pods
    /// of those runs (or labelled for the shard) are in the snapshot.
    init(
        client: KubeClient, namespaces: [String], shardSelector: ShardSelector? = nil,
        changed: @escaping @Sendable () -> Void
    ) {
        let scopes: [String?] = namespaces.isEmpty ? [nil] : namespaces.map { $0 }
        self.shardSelector = shardSelector
        let selector = shardSelector?.text
        // Stores keep views and shared strings, not whole objects: the memory budget (client-bench).
        omJobs = scopes.map {
            Informer(
                client: client, namespace: $0, labelSelector: selector,
                transform: { $0.withoutPodTemplates().interned(&$1) },
                handlers: Self.handlers(changed))
        }
        pods = scopes.map {
            Informer(
                client: client, namespace: $0, labelSelector: OperatorLabels.omJobName, transform: { $0.interned(&$1) },
                handlers: Self.handlers(changed))
        }
        crons = scopes.map {
            Informer(client: client, namespace: $0, labelSelector: selector, handlers: Self.handlers(changed))
        }
    }

    /// Every notification means the same to the gc: decide again.
    private static func handlers<T: KubernetesObject>(_ changed: @escaping @Sendable () -> Void) -> Informer<T>.Handlers
    {
        Informer<T>.Handlers(
            added: { _ in changed() }, updated: { _, _ in changed() }, deleted: { _ in changed() }, synced: changed)
    }

    /// Runs every informer until the calling task is cancelled.
    func run() async {
        await withTaskGroup(of: Void.self) { group in
            for informer in omJobs { group.addTask { await informer.run() } }
            for informer in pods { group.addTask { await informer.run() } }
            for informer in crons { group.addTask { await informer.run() } }
        }
    }

    /// Every cached object, or nil while an OMJob or pod informer has not synced.
    func snapshot() async -> Snapshot? {
        var snapshot = Snapshot(omJobs: [], pods: [], crons: [])
        for informer in omJobs {
            guard await informer.hasSynced else { return nil }
            snapshot.omJobs += await informer.store.objects
        }
        for informer in pods {
            guard await informer.hasSynced else { return nil }
            snapshot.pods += await informer.store.objects
        }
        // CronOMJobs only ever lead to deletions (history limits), so until they are listed the
        // gc goes on without them: TTL cleanup must not wait on a CronOMJob CRD that may be missing.
        for informer in crons where await informer.hasSynced {
            snapshot.crons += await informer.store.objects
        }
        if let shardSelector {
            // Another shard's pods are that shard's to report and clean up.
            let uids = Set(snapshot.omJobs.compactMap(\.metadata.uid))
            snapshot.pods = snapshot.pods.filter { pod in
                shardSelector.matches(pod.metadata.labels)
                    || pod.metadata.labels?[OperatorLabels.omJobUID].map(uids.contains) == true
                    || pod.metadata.ownerReferences?.contains { $0.controller == true && uids.contains($0.uid) } == true
            }
        }
        return snapshot
    }
}
