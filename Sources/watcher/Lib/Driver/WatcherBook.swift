import BrokerProtocol
import Foundation

/// The watcher driver's bookkeeping as a pure core, as `SupervisionTree` is for the supervisor:
/// which keys wait to be decided (`WorkQueue`), when each must be looked at again with no event
/// (`DueKeys`), each key's backoff after failed commands (`KeyBackoff`), the commands in flight
/// (`CommandLedger`), and what their answers count. Inputs with the time passed in (`now`, the
/// operator clock's date, for decisions and due times; `instant`, monotonic, for latencies);
/// outputs are what the driver must do. The driver runs the controllers, submits the frames,
/// arms one timer and reports metrics.
struct WatcherBook {
    /// What an answer to a command means for the driver.
    struct Answer: Equatable {
        var work: WorkKey
        /// The answer's name for `omjob_watcher_command_results_total` (an outcome, or `broker-<error>`).
        var outcome: String
        /// Counters to add: the command was `done`.
        var counted: [CounterKey] = []
        /// Histogram observations to record: the command was `done`.
        var observed: [Observation] = []
        /// nil: the key was queued to be decided again now; else it is due again after this
        /// backoff (the command failed), with the failure's message.
        var retryAfter: TimeInterval?
        var failure: String = ""
    }

    private(set) var queue = WorkQueue<WorkKey>()
    private(set) var due = DueKeys<WorkKey>()
    private var backoff = KeyBackoff<WorkKey>()
    private(set) var ledger = CommandLedger<WorkKey>()
    /// Counters of commands in flight, added when the command is answered `done`.
    private var countedOnDone: [String: [CounterKey]] = [:]
    /// Observations of commands in flight, with when the change that led to them arrived.
    private var observedOnDone: [String: (observations: [Observation], since: Duration)] = [:]
    /// When each dirty key's first change since its last decision arrived (for latencies).
    private var firstChange: [WorkKey: Duration] = [:]

    /// Marks `work` as needing a decision.
    mutating func enqueue(_ work: WorkKey) {
        queue.add(work)
    }

    /// The informers changed what `work` depends on; `object` names what changed (`omjob`,
    /// `pod/<name>`; nil: something else, such as a node).
    mutating func changed(_ work: WorkKey, object: String?, deleted: Bool, instant: Duration) {
        ledger.keyChanged(work, object: object, deleted: deleted)
        if firstChange[work] == nil { firstChange[work] = instant }
        queue.add(work)
    }

    /// The next key to decide (nil when none waits); end with ``finished(_:)``.
    mutating func next() -> WorkKey? { queue.next() }

    /// The decision for `work` is made; a change meanwhile queues it again.
    mutating func finished(_ work: WorkKey) { queue.done(work) }

    /// A controller decided `work`: its next look replaces the key's due time, and the commands
    /// neither in flight nor answered and settled are handed to `send`, in order, each as soon as
    /// its frame is encoded: the first command (an exit pod's create, by `RunPlan`'s order) is on
    /// its way before the writes behind it are encoded.
    mutating func decided(
        _ work: WorkKey, _ result: Reconciliation, now: Date, instant: Duration, send: ([UInt8]) -> Void
    ) {
        let since = firstChange.removeValue(forKey: work) ?? instant
        due.reset(work, to: result.nextLook)
        for command in result.commands where ledger.mayStart(command.id, now: now) {
            guard let frame = command.frame else { continue }
            ledger.started(
                command.id, key: work, versionBound: result.versionBound.contains(command.id), awaits: command.awaits)
            countedOnDone[command.id] = result.countedOnDone[command.id]
            observedOnDone[command.id] = result.observedOnDone[command.id].map { ($0, since) }
            send(frame)
        }
    }

    /// One answer from an executor (or the broker): the key is decided again, at once when the
    /// answer means fresh state is coming, after the key's backoff when the command failed. Nil
    /// for an id not in flight (a duplicate answer, or one from before a restart).
    mutating func answered(_ result: ResultEnvelope, now: Date, instant: Duration) -> Answer? {
        let outcome = result.error == nil ? CommandOutcome(payload: result.payload) : nil
        let settled = outcome.map { if case .failed = $0 { false } else { true } } ?? false
        guard let work = ledger.answered(result.id, settled: settled, now: now) else { return nil }
        var answer = Answer(work: work, outcome: outcome?.name ?? "broker-\(result.error ?? "error")")
        if let counted = countedOnDone.removeValue(forKey: result.id), outcome == .done { answer.counted = counted }
        if let observed = observedOnDone.removeValue(forKey: result.id), outcome == .done {
            let elapsed = WatcherHistograms.seconds(instant - observed.since)
            answer.observed = observed.observations.map { Observation($0.name, $0.labels, value: $0.value ?? elapsed) }
        }
        if settled {
            backoff.forget(work)
            queue.add(work)
        } else {
            let delay = backoff.failed(work)
            answer.retryAfter = delay
            answer.failure = outcome?.message ?? result.error ?? ""
            due.schedule(work, at: now.addingTimeInterval(delay))
        }
        return answer
    }

    /// Drops expired answers from the ledger (at most once a second; see `CommandLedger.prune`).
    mutating func prune(now: Date) { ledger.prune(now: now) }

    /// When the driver's one timer must fire: the earliest due time of all keys.
    var earliestDue: Date? { due.earliest }

    /// The timer fired: the keys due at `now`, now queued.
    mutating func timerFired(now: Date) -> [WorkKey] {
        let ready = due.takeDue(now: now)
        for work in ready { queue.add(work) }
        return ready
    }
}
