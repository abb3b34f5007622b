import BrokerProtocol
import Foundation
import KubeAPI
import Logging
import Models
import Runtime
import UVLoop

/// The gc's driver: runs `GCSweep.decide` over the cache on every change and at the sweep's
/// wake-up time, performs the writes, and reports metrics. The only part of the gc that does I/O.
///
/// An actor on the worker's event loop (so it owns its `LoopTimer` and talks to the session on
/// the loop thread). Sweeps never overlap: a change during a sweep marks the cache dirty and one
/// more sweep follows, so one write is never in flight twice and bursts of changes coalesce.
///
/// Guarantees (restart-safe): every sweep starts from the API's state (the informers' caches,
/// only once all have synced), and every write is idempotent (see `Command` and the gc's use of it), so a gc killed
/// at any point repeats at most writes whose effect already holds: no early deletion (expiry is
/// computed from `completionTime`, not from a timer), no second event (deterministic names).
actor GCDriver {
    /// Objects whose lists are performed at once: enough to clear a backlog, few enough not to
    /// flood the API server after a long outage.
    static let parallelObjects = 8

    nonisolated let unownedExecutor: UnownedSerialExecutor
    private let session: LoopBound<WorkerSession>
    private let cache: GCCache
    private let performer: GCCommandPerformer
    private let settings: GCSettings
    private let clock: OperatorClock
    private let logger: Logger
    private var timer: LoopTimer?
    /// Fires when a sweep asked for during `GCPacing.minimumInterval` may start.
    private var pacer: LoopTimer?
    /// When to sweep (pure; see `GCPacing`), on the monotonic time since `origin`.
    private var pacing = GCPacing()
    private let origin = ContinuousClock.now
    private var metrics = GCMetrics()
    private var isReady = false

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
        follow(pacing.changed(now: elapsed))
    }

    /// The supervisor says whether this replica leads; on taking the lead the gc sweeps at once.
    func leadershipChanged(_ leading: Bool) {
        follow(pacing.leadershipChanged(leading, now: elapsed))
    }

    private var elapsed: Duration { ContinuousClock.now - origin }

    /// Does what the pacing core asks.
    private func follow(_ actions: [GCPacing.Action]) {
        for action in actions {
            switch action {
            case .sweep:
                Task { await self.sweep() }
            case .waitThenSweep(let wait):
                if !pace(wait) { follow(pacing.pacerUnavailable()) }
            case .announceLeadership(let leading):
                logger.info(leading ? "gc writes: this replica leads" : "gc writes nothing: this replica is a standby")
            }
        }
    }

    /// Stops the timers (on shutdown).
    func stop() {
        timer?.close()
        timer = nil
        pacer?.close()
        pacer = nil
    }

    private func sweep() async {
        pacing.sweepStarted(now: elapsed)
        // Until the caches have synced nothing is swept, and readiness must not wait on the pacer.
        let decided = await sweepOnce()
        follow(pacing.sweepFinished(decided: decided, now: elapsed))
    }

    /// Arms the pacer; false when no timer can be had.
    private func pace(_ wait: Duration) -> Bool {
        if pacer == nil { pacer = try? LoopTimer(loop: EventLoop.current) }
        guard let pacer else { return false }
        pacer.start(after: wait) { [weak self] in
            guard let self else { return }
            Task { await self.paced() }
        }
        return true
    }

    private func paced() {
        follow(pacing.pacerFired(now: elapsed))
    }

    /// False when the caches have not synced yet (nothing was decided).
    private func sweepOnce() async -> Bool {
        guard let snapshot = await cache.snapshot() else { return false }
        if !isReady {
            isReady = true
            session.value.markReady()
            logger.info(
                "gc caches synced",
                metadata: [LogKeys.omJobCount: "\(snapshot.omJobs.count)", LogKeys.podCount: "\(snapshot.pods.count)"])
        }
        let now = clock.now()
        let sweep = GCSweep.decide(
            omJobs: snapshot.omJobs, crons: snapshot.crons, pods: snapshot.pods, now: now, settings: settings)
        guard pacing.leading else { return true }
        let failed = await perform(sweep.commands)
        metrics.record(sweep, now: now)
        session.value.report(metrics.report)
        arm(GCPacing.nextWake(sweep.wakeAt.map { clock.delay(until: $0) }, writeFailed: failed))
        return true
    }

    /// Performs each object's list in order (objects in parallel); true if any write failed.
    private func perform(_ commands: [Command]) async -> Bool {
        guard !commands.isEmpty else { return false }
        var lists: [[Command]] = []
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
            failed = failed || list.contains { $0.1.isFailure }
            log(list)
        }
        return failed
    }

    private func log(_ results: [(Command, CommandOutcome)]) {
        for (command, outcome) in results {
            var metadata: Logger.Metadata = [
                LogKeys.omjobNamespace: "\(command.key.namespace)", LogKeys.omjobName: "\(command.key.name)",
                LogKeys.commandID: "\(command.id)", LogKeys.outcome: "\(outcome.name)",
            ]
            if let reason = outcome.message {
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
