import KubeAPI
import Models
import Runtime

/// The gc's view of the cluster: informers of OMJobs, of the pods labelled with an OMJob name,
/// and of CronOMJobs, in every watched namespace (one informer per namespace and kind, or one
/// per kind for all namespaces). The driver reads a snapshot of all of them per sweep.
///
/// Pods are watched in two halves. Every gc rule reads only a pod's metadata (labels, owners,
/// finalizers, deletion), except one: a run is not cleaned up while its exit-handler pod has
/// not ended, which reads that pod's `status.phase`. So exit-handler pods are watched whole
/// and read for their phase alone (`PodPhaseView`), every other labelled pod as metadata only
/// (`PartialObjectMetadata`: no spec or status to read). A pod whose type label changes
/// leaves one half (DELETED) and enters the other (ADDED); the snapshot holds both.
///
/// Guarantees: `snapshot()` is nil until the OMJob and pod informers have finished their first
/// list, so no decision is ever made from a partial cache (a run whose pods were not listed yet
/// would look like a run without pods, and its cleanup would be recorded without deleting
/// them). A CronOMJob scope not listed yet contributes nothing: fewer deletions, never more.
final class GCCache: Sendable {
    /// Read without their pod templates: no gc rule reads them.
    private let omJobs: [Informer<OMJobWithoutPodTemplates>]
    /// Labelled pods that are not exit handlers, metadata only.
    private let pods: [Informer<PodView>]
    /// Exit-handler pods, read for their metadata and phase.
    private let exitHandlers: [Informer<PodPhaseView>]
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
                transform: { $0.interned(&$1) }, handlers: Self.handlers(changed))
        }
        pods = scopes.map {
            Informer(
                client: client, namespace: $0, labelSelector: Self.otherPods, metadataOnly: true,
                transform: { $0.interned(&$1) }, handlers: Self.handlers(changed))
        }
        exitHandlers = scopes.map {
            Informer(
                client: client, namespace: $0, labelSelector: Self.exitHandlerPods, transform: { $0.interned(&$1) },
                handlers: Self.handlers(changed))
        }
        crons = scopes.map {
            Informer(client: client, namespace: $0, labelSelector: selector, handlers: Self.handlers(changed))
        }
    }

    /// The labelled pods watched as metadata only: all but exit handlers (`!=` also selects
    /// pods without a type label).
    static let otherPods = "\(OperatorLabels.omJobName),\(OperatorLabels.podType)!=\(PodType.exitHandler.rawValue)"
    /// The labelled pods watched whole.
    static let exitHandlerPods = "\(OperatorLabels.omJobName),\(OperatorLabels.podType)=\(PodType.exitHandler.rawValue)"

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
            for informer in exitHandlers { group.addTask { await informer.run() } }
            for informer in crons { group.addTask { await informer.run() } }
        }
    }

    /// Every cached object, or nil while an OMJob or pod informer has not synced.
    func snapshot() async -> Snapshot? {
        var snapshot = Snapshot(omJobs: [], pods: [], crons: [])
        for informer in omJobs {
            guard await informer.hasSynced else { return nil }
            snapshot.omJobs += await informer.store.objects.map(\.omJob)
        }
        for informer in pods {
            guard await informer.hasSynced else { return nil }
            snapshot.pods += await informer.store.objects
        }
        for informer in exitHandlers {
            guard await informer.hasSynced else { return nil }
            snapshot.pods += await informer.store.objects.map(\.pod)
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
