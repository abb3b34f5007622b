import Foundation
import Logging
import Shared

/// The gc's driver: runs `GCSweep.decide` over the cache on every change and at the sweep's
/// wake-up time, performs the writes, and reports metrics. The only part of the gc that does I/O.
///
/// An actor on the worker's event loop (so it owns its `LoopTimer` and talks to the session on
/// the loop thread). Sweeps never overlap: a change during a sweep marks the cache dirty and one
/// more sweep follows, so one write is never in flight twice and bursts of changes coalesce.
///
/// Guarantees (restart-safe): every sweep starts from the API's state (the informers' caches,
/// only once all have synced), and every write is idempotent (see `GCCommand`), so a gc killed
/// at any point repeats at most writes whose effect already holds: no early deletion (expiry is
/// computed from `completionTime`, not from a timer), no second event (deterministic names).
actor GCDriver {
    /// After a failed write, decide again this much later even if nothing changes (the client
    /// already retried transient errors for its whole deadline; this bounds the next attempt).
    static let retryAfterFailure = Duration.seconds(5)
    /// Objects whose lists are performed at once: enough to clear a backlog, few enough not to
    /// flood the API server after a long outage.
    static let parallelObjects = 8
    /// Sweeps start at most this often. A sweep reads every cached object, so sweeping on every
    /// change cost O(objects) per change: with 1,000 runs in flight the gc used a quarter of the
    /// machine's CPU. Nothing the gc does needs a reaction within a second (TTLs, history
    /// limits, stale-finalizer bounds), and a burst of changes still ends in one sweep.
    static let minimumSweepInterval = Duration.seconds(1)

    nonisolated let unownedExecutor: UnownedSerialExecutor
    private let session: LoopBound<WorkerSession>
    private let cache: GCCache
    private let performer: GCCommandPerformer
    private let settings: GCSettings
    private let clock: OperatorClock
    private let logger: Logger
    private var timer: LoopTimer?
    /// Fires when a sweep asked for during `minimumSweepInterval` may start.
    private var pacer: LoopTimer?
    private var pacing = false
    private var lastSweep: ContinuousClock.Instant?
    private var metrics = GCMetrics()
    private var dirty = false
    private var sweeping = false
    private var isReady = false
    /// False while this replica is a standby: the gc keeps its caches and writes nothing.
    private var leading = true

    init(
        session: LoopBound<WorkerSession>, executor: LoopExecutor, cache: GCCache, client: KubeClient,
        settings: GCSettings,
        clock: OperatorClock, logger: Logger
    ) {
        unownedExecutor = executor.asUnownedSerialExecutor()
        self.session = session
        self.cache = cache
        self.performer = GCCommandPerformer(client: client)
        self.settings = settings
        self.clock = clock
        self.logger = logger
    }

    /// Something in the cache changed (or time passed): sweep now, or once the interval since
    /// the last sweep has passed.
    func changed() {
        dirty = true
        guard !sweeping, !pacing else { return }
        if let last = lastSweep, case let wait = last + Self.minimumSweepInterval - .now, wait > .zero, pace(wait) {
            return
        }
        sweeping = true
        Task { await self.sweep() }
    }

    /// The supervisor says whether this replica leads; on taking the lead the gc sweeps at once.
    func leadershipChanged(_ leading: Bool) {
        guard leading != self.leading else { return }
        self.leading = leading
        logger.info(leading ? "gc writes: this replica leads" : "gc writes nothing: this replica is a standby")
        if leading { changed() }
    }

    /// Stops the timers (on shutdown).
    func stop() {
        timer?.close()
        timer = nil
        pacer?.close()
        pacer = nil
    }

    private func sweep() async {
        dirty = false
        let started = ContinuousClock.now
        // Until the caches have synced nothing is swept, and readiness must not wait on the pacer.
        if await sweepOnce() { lastSweep = started }
        sweeping = false
        if dirty { changed() }
    }

    /// Arms the pacer; false when no timer can be had (then the sweep runs at once).
    private func pace(_ wait: Duration) -> Bool {
        if pacer == nil { pacer = try? LoopTimer(loop: EventLoop.current) }
        guard let pacer else { return false }
        pacing = true
        pacer.start(after: wait) { [weak self] in
            guard let self else { return }
            Task { await self.paced() }
        }
        return true
    }

    private func paced() {
        pacing = false
        changed()
    }

    /// False when the caches have not synced yet (nothing was decided).
    private func sweepOnce() async -> Bool {
        guard let snapshot = await cache.snapshot() else { return false }
        if !isReady {
            isReady = true
            session.value.markReady()
            logger.info(
                "gc caches synced", metadata: ["omjobs": "\(snapshot.omJobs.count)", "pods": "\(snapshot.pods.count)"])
        }
        let now = clock.now()
        let sweep = GCSweep.decide(
            omJobs: snapshot.omJobs, crons: snapshot.crons, pods: snapshot.pods, now: now, settings: settings)
        guard leading else { return true }
        let failed = await perform(sweep.commands)
        metrics.record(sweep, now: now)
        session.value.report(metrics.report)
        var wake = sweep.wakeAt.map { clock.delay(until: $0) }
        if failed { wake = min(wake ?? Self.retryAfterFailure, Self.retryAfterFailure) }
        arm(wake)
        return true
    }

    /// Performs each object's list in order (objects in parallel); true if any write failed.
    private func perform(_ commands: [GCCommand]) async -> Bool {
        guard !commands.isEmpty else { return false }
        var lists: [[GCCommand]] = []
        var index: [ObjectKey: Int] = [:]
        for command in commands {
            if let at = index[command.key] {
                lists[at].append(command)
            } else {
                index[command.key] = lists.count
                lists.append([command])
            }
        }
        var failed = false
        for list in await performer.perform(lists: lists, parallel: Self.parallelObjects) {
            metrics.count(list)
            failed = failed || list.contains { if case .failed = $0.1 { true } else { false } }
            log(list)
        }
        return failed
    }

    private func log(_ results: [(GCCommand, GCWriteOutcome)]) {
        for (command, outcome) in results {
            var metadata: Logger.Metadata = [
                LogKeys.omjobNamespace: "\(command.key.namespace)", LogKeys.omjobName: "\(command.key.name)",
                LogKeys.commandID: "\(command.id)", "outcome": "\(outcome)",
            ]
            if case .failed(let reason) = outcome {
                metadata[LogKeys.reason] = "\(reason)"
                logger.warning("gc write failed", metadata: metadata)
            } else {
                logger.info("gc write", metadata: metadata)
            }
        }
    }

    /// Arms the timer for the next sweep without a change; nil disarms it.
    private func arm(_ delay: Duration?) {
        guard let delay else {
            timer?.stop()
            return
        }
        do {
            if timer == nil { timer = try LoopTimer(loop: EventLoop.current) }
            timer?.start(after: delay) { [weak self] in
                guard let self else { return }
                Task { await self.changed() }
            }
        } catch {
            logger.error("cannot arm the gc timer", metadata: [LogKeys.reason: "\(error)"])
        }
    }
}
