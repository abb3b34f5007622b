import BrokerProtocol
import Foundation
import KubeAPI
import Logging
import Models
import Runtime
import UVLoop

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
    /// The work queue, due times, backoff and commands in flight (pure; see `WatcherBook`).
    private var book = WatcherBook()
    /// The origin of the monotonic instants the book measures latencies with.
    private let origin = ContinuousClock.now
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
        for key in keys { book.enqueue(WorkKey(controller: controller, key: key)) }
        if !keys.isEmpty { drainSoon() }
    }

    /// Makes sure the queue is worked on soon (once every informer has synced).
    private func drainSoon() {
        guard unsyncedInformers == 0, !drainPosted else { return }
        drainPosted = true
        // Posted, not run inline: a burst of changes already in the loop's inbox lands first,
        // so a key changed several times is decided once.
        post { $0.drain() }
    }

    private var instant: Duration { ContinuousClock.now - origin }

    /// The informers changed what `keys` depend on; `object` names what changed (`omjob`,
    /// `pod/<name>`; nil: something else, such as a node).
    func changed(_ keys: [ObjectKey], controller: String, object: String? = nil, deleted: Bool = false) {
        let now = instant
        for key in keys {
            book.changed(WorkKey(controller: controller, key: key), object: object, deleted: deleted, instant: now)
        }
        if !keys.isEmpty { drainSoon() }
    }

    func drain() {
        drainPosted = false
        let now = clock.now()
        while let work = book.next() {
            reconcile(work, now: now)
            book.finished(work)
        }
        book.prune(now: now)
        armTimer()
        session.value.reportMetrics { self.assumeIsolated { $0.counters.report } }
    }

    private func reconcile(_ work: WorkKey, now: Date) {
        guard let controller = controllers[work.controller] else { return }
        let result = controller.reconcile(work.key, cache: cache, now: now)
        counters.reconciled(sent: result.commands.count)
        book.decided(work, result, now: now, instant: instant) { session.value.submit(frame: $0) }
    }

    /// One answer from an executor (or the broker): decide again, at once when the answer means
    /// fresh state is coming, after the key's backoff when the command failed.
    func resultArrived(_ result: ResultEnvelope) {
        guard let answer = book.answered(result, now: clock.now(), instant: instant) else { return }
        counters.answered(answer.outcome)
        counters.add(answer.counted)
        for o in answer.observed { counters.histograms.observe(o.name, labels: o.labels, o.value ?? 0) }
        if let delay = answer.retryAfter {
            logger.info(
                "command failed; deciding again after backoff",
                metadata: [
                    LogKeys.commandID: "\(result.id)", LogKeys.reason: "\(answer.failure)",
                    LogKeys.delayMS: "\(Int(delay * 1000))",
                ])
            armTimer()
        } else {
            drainSoon()
        }
    }

    /// One timer for all keys, armed for the earliest due time (no periodic reads: nothing
    /// fires unless a decision or a backoff asked for it).
    private func armTimer() {
        guard let earliest = book.earliestDue else {
            timer?.stop()
            return
        }
        if timer == nil { timer = try? LoopTimer(loop: EventLoop.current) }
        timer?.start(after: clock.delay(until: earliest)) { [weak self] in
            self?.assumeIsolated { $0.timerFired() }
        }
    }

    private func timerFired() {
        if !book.timerFired(now: clock.now()).isEmpty { drainSoon() }
        armTimer()
    }
}
