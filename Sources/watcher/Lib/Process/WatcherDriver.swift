import Foundation
import Logging
import Shared

/// The watcher process's driver (controller-runtime's controller): informer changes and timers
/// mark keys dirty in a `WorkQueue`; each key is reconciled by its `Controller` from the cache;
/// the commands not already in flight go to the broker; every result makes the key run again.
///
/// Guarantees: nothing that matters is kept here — after a restart the informers' lists rebuild
/// the cache and every run is decided again from the API. No key runs before every informer
/// has finished its first list (a half-filled cache would decide from a partial view).
/// Threading: an actor pinned to the worker's loop; informers post their changes to it in order.
public actor WatcherDriver {
    public nonisolated let executor: LoopExecutor
    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
    let session: LoopBound<WorkerSession>
    let logger: Logger
    let controllers: [String: any Controller]
    var cache = WatchCache()
    private var queue = WorkQueue<WorkKey>()
    private var due = DueKeys<WorkKey>()
    private var backoff = KeyBackoff<WorkKey>()
    private var ledger = CommandLedger<WorkKey>()
    /// Counters of commands in flight, added when the command is answered `done`.
    private var countedOnDone: [String: [CounterKey]] = [:]
    /// Observations of commands in flight, with when the change that led to them arrived.
    private var observedOnDone: [String: (observations: [Observation], since: ContinuousClock.Instant)] = [:]
    /// When each dirty key's first change since its last reconciliation arrived (for latencies).
    private var firstChange: [WorkKey: ContinuousClock.Instant] = [:]
    private var timer: LoopTimer?
    private var drainPosted = false
    var unsyncedInformers = 0
    /// Permissions and reachability, as the review and the informers' failures tell them.
    var access = AccessState()
    var client: KubeClient?
    var nodeInformer: Task<Void, Never>?
    /// The node informer has counted towards the initial sync (listed, or dropped for lack of permission).
    var nodesSyncedOrDropped = false
    var accessTimer: LoopTimer?
    var counters = WatcherCounters()
    /// `now` for decisions and timers (a test may move it: see `OperatorClock`).
    let clock = OperatorClock(environment: ProcessEnvironment.current)

    init(session: LoopBound<WorkerSession>, logger: Logger, controllers: [any Controller]) {
        executor = session.executor
        self.session = session
        self.logger = logger
        self.controllers = Dictionary(uniqueKeysWithValues: controllers.map { ($0.name, $0) })
    }

    /// Runs `body` on the driver, after everything posted before it.
    nonisolated func post(_ body: @escaping @Sendable (isolated WatcherDriver) -> Void) {
        executor.execute { self.assumeIsolated(body) }
    }

    /// Marks keys of `controller` dirty and makes sure the queue is worked on soon.
    func enqueue(_ keys: [ObjectKey], controller: String) {
        for key in keys { queue.add(WorkKey(controller: controller, key: key)) }
        guard !keys.isEmpty, unsyncedInformers == 0, !drainPosted else { return }
        drainPosted = true
        // Posted, not run inline: a burst of changes already in the loop's inbox lands first,
        // so a key changed several times is decided once.
        post { $0.drain() }
    }

    /// The informers changed what `keys` depend on; `object` names what changed (`omjob`,
    /// `pod/<name>`; nil: something else, such as a node).
    func changed(_ keys: [ObjectKey], controller: String, object: String? = nil, deleted: Bool = false) {
        let now = ContinuousClock.now
        for key in keys {
            let work = WorkKey(controller: controller, key: key)
            ledger.keyChanged(work, object: object, deleted: deleted)
            if firstChange[work] == nil { firstChange[work] = now }
        }
        enqueue(keys, controller: controller)
    }

    func drain() {
        drainPosted = false
        let now = clock.now()
        while let work = queue.next() {
            reconcile(work, now: now)
            queue.done(work)
        }
        ledger.prune(now: now)
        armTimer()
        session.value.reportMetrics { self.assumeIsolated { $0.counters.report } }
    }

    private func reconcile(_ work: WorkKey, now: Date) {
        guard let controller = controllers[work.controller] else { return }
        let result = controller.reconcile(work.key, cache: cache, now: now)
        let since = firstChange.removeValue(forKey: work) ?? ContinuousClock.now
        counters.reconciled(sent: result.commands.count)
        due.reset(work, to: result.nextLook)
        for command in result.commands where ledger.mayStart(command.id, now: now) {
            guard let frame = command.frame else { continue }
            ledger.started(
                command.id, key: work, versionBound: result.versionBound.contains(command.id), awaits: command.awaits)
            countedOnDone[command.id] = result.countedOnDone[command.id]
            observedOnDone[command.id] = result.observedOnDone[command.id].map { ($0, since) }
            session.value.submit(frame: frame)
        }
    }

    /// One answer from an executor (or the broker): decide again, at once when the answer means
    /// fresh state is coming, after the key's backoff when the command failed.
    func resultArrived(_ result: ResultEnvelope) {
        let now = clock.now()
        let outcome = result.error == nil ? CommandOutcome(payload: result.payload) : nil
        let settled = outcome.map { if case .failed = $0 { false } else { true } } ?? false
        guard let work = ledger.answered(result.id, settled: settled, now: now) else { return }
        counters.answered(outcome?.name ?? "broker-\(result.error ?? "error")")
        if let counted = countedOnDone.removeValue(forKey: result.id), outcome == .done { counters.add(counted) }
        if let observed = observedOnDone.removeValue(forKey: result.id), outcome == .done {
            let elapsed = WatcherHistograms.seconds(ContinuousClock.now - observed.since)
            for o in observed.observations { counters.histograms.observe(o.name, labels: o.labels, o.value ?? elapsed) }
        }
        if settled {
            backoff.forget(work)
            enqueue([work.key], controller: work.controller)
        } else {
            let delay = backoff.failed(work)
            logger.info(
                "command failed; deciding again after backoff",
                metadata: [
                    LogKeys.commandID: "\(result.id)", LogKeys.reason: "\(outcome?.message ?? result.error ?? "")",
                    LogKeys.delayMS: "\(Int(delay * 1000))",
                ])
            due.schedule(work, at: now.addingTimeInterval(delay))
            armTimer()
        }
    }

    /// One timer for all keys, armed for the earliest due time (no periodic reads: nothing
    /// fires unless a decision or a backoff asked for it).
    private func armTimer() {
        guard let earliest = due.earliest else {
            timer?.stop()
            return
        }
        if timer == nil { timer = try? LoopTimer(loop: EventLoop.current) }
        timer?.start(after: clock.delay(until: earliest)) { [weak self] in
            self?.assumeIsolated { $0.timerFired() }
        }
    }

    private func timerFired() {
        for work in due.takeDue(now: clock.now()) { enqueue([work.key], controller: work.controller) }
        armTimer()
    }
}
