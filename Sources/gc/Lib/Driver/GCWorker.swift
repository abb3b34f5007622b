import BrokerProtocol
import Foundation
import KubeAPI
import Runtime
import Synchronization
import UVLoop

/// Wires the gc role into a worker session: the Kubernetes client, the informers, the driver.
///
/// The gc says `ready` once its caches have synced (not at connect), so `/ready` means "the gc
/// is deciding". Its writes go straight to the API server (see `GCCommandPerformer` for why).
public enum GCWorker {
    /// Reads what the gc needs from the environment, or the first bad setting (a ``ConfigError``,
    /// or the Kubernetes client's configuration error).
    public static func settings(environment: [String: String]) throws -> (GCSettings, ClusterConfiguration) {
        let settings = try GCSettings(environment: environment)
        let cluster = try ClusterConfiguration.load(environment: environment)
        return (settings, cluster)
    }

    /// Attaches the gc to `session` (called by `WorkerMain` on the loop thread, before the conversation starts).
    public static func attach(
        to session: WorkerSession, settings: GCSettings, cluster: ClusterConfiguration, environment: [String: String]
    ) {
        let executor = session.loop.executor
        let client = KubeClient(configuration: cluster, executor: executor)
        let box = DriverBox()
        let cache = GCCache(
            client: client, namespaces: session.config.watchNamespaces, shardSelector: session.config.shardSelector
        ) { box.changed() }
        let driver = GCDriver(
            session: LoopBound(session, executor: executor), executor: executor, cache: cache, client: client,
            settings: settings, clock: OperatorClock(environment: environment), logger: session.logger)
        box.set(driver)
        session.readyAtStart = false
        session.onLeadership = { leading in driver.assumeIsolated { $0.leadershipChanged(leading) } }
        let informers = Task { await cache.run() }
        let bound = LoopBound(session, executor: executor)
        session.onShutdown = {
            Task { await shutDown(informers: informers, driver: driver, client: client, session: bound) }
        }
    }

    /// Stops the informers and the HTTP client before the loop: a request still in flight when
    /// the loop stopped would post to a dead loop. Bounded: after `shutdownBound` the loop stops
    /// anyway (the gc keeps nothing worth draining; every write is idempotent and redone by the
    /// next gc).
    static let shutdownBound = Duration.seconds(2)

    private static func shutDown(
        informers: Task<Void, Never>, driver: GCDriver, client: KubeClient, session: LoopBound<WorkerSession>
    ) async {
        informers.cancel()
        await driver.stop()
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await informers.value }
            group.addTask { try? await Task.sleep(for: shutdownBound) }
            await group.next()
            group.cancelAll()
        }
        await client.http.shutdown()
        session.executor.execute { session.value.stop() }
    }
}

/// Lets the informers' handlers, made before the driver exists, reach it.
private final class DriverBox: Sendable {
    private let slot = Mutex<GCDriver?>(nil)

    func set(_ driver: GCDriver) { slot.withLock { $0 = driver } }

    func changed() {
        guard let driver = slot.withLock({ $0 }) else { return }
        Task { await driver.changed() }
    }
}
