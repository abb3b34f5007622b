/// When the gc sweeps, as a pure state machine: changes, timer expiries, sweep endings and
/// leadership in; what the driver must do out. Time is passed in as `now` (monotonic, since
/// any fixed origin), never read here, so every rule is tested from tables without a clock.
///
/// The rules: sweeps never overlap (a change during a sweep marks the cache dirty and one more
/// sweep follows, so bursts of changes coalesce); sweeps start at most every `minimumInterval`
/// (a sweep reads every cached object, so sweeping on every change cost O(objects) per change);
/// a standby replica keeps deciding nothing to write; taking the lead sweeps at once.
public struct GCPacing: Sendable, Equatable {
    /// What the driver does next.
    public enum Action: Sendable, Equatable {
        /// Start a sweep now (call ``sweepStarted(now:)`` when it begins, ``sweepFinished(decided:now:)`` at its end).
        case sweep
        /// Arm the pacer: call ``pacerFired(now:)`` after this long (or ``pacerUnavailable()`` if it cannot be armed).
        case waitThenSweep(Duration)
        /// Log that this replica now leads (true) or stands by (false).
        case announceLeadership(Bool)
    }

    /// Sweeps start at most this often. Nothing the gc does needs a reaction within a second
    /// (TTLs, history limits, stale-finalizer bounds), and a burst of changes still ends in one sweep.
    public static let minimumInterval = Duration.seconds(1)
    /// After a failed write, decide again this much later even if nothing changes (the client
    /// already retried transient errors for its whole deadline; this bounds the next attempt).
    public static let retryAfterFailure = Duration.seconds(5)

    /// Something changed since the last sweep began.
    public private(set) var dirty = false
    public private(set) var sweeping = false
    /// The pacer is armed: a sweep waits for `minimumInterval` to pass.
    public private(set) var pacing = false
    /// When the last sweep that decided anything began.
    public private(set) var lastSweep: Duration?
    /// False while this replica is a standby: the gc keeps its caches and writes nothing.
    public private(set) var leading = true
    private var sweepBegan: Duration?

    public init() {}

    /// Something in the cache changed (or a wake-up is due): sweep now, or once the interval
    /// since the last sweep has passed.
    public mutating func changed(now: Duration) -> [Action] {
        dirty = true
        guard !sweeping, !pacing else { return [] }
        if let last = lastSweep, case let wait = last + Self.minimumInterval - now, wait > .zero {
            pacing = true
            return [.waitThenSweep(wait)]
        }
        sweeping = true
        return [.sweep]
    }

    /// The sweep has begun reading the cache: changes from here on need another sweep.
    public mutating func sweepStarted(now: Duration) {
        dirty = false
        sweepBegan = now
    }

    /// The sweep ended; `decided` is false when the caches had not synced, so nothing was
    /// decided and the next change must not wait for the pacer.
    public mutating func sweepFinished(decided: Bool, now: Duration) -> [Action] {
        if decided { lastSweep = sweepBegan }
        sweeping = false
        return dirty ? changed(now: now) : []
    }

    /// The pacer fired.
    public mutating func pacerFired(now: Duration) -> [Action] {
        pacing = false
        return changed(now: now)
    }

    /// No timer could be had for the pacer: sweep at once rather than never.
    public mutating func pacerUnavailable() -> [Action] {
        pacing = false
        sweeping = true
        return [.sweep]
    }

    /// The supervisor says whether this replica leads; on taking the lead the gc sweeps at once.
    public mutating func leadershipChanged(_ leading: Bool, now: Duration) -> [Action] {
        guard leading != self.leading else { return [] }
        self.leading = leading
        return [.announceLeadership(leading)] + (leading ? changed(now: now) : [])
    }

    /// How long until the next sweep without a change: the sweep's own wake-up (`wake`, nil for
    /// none), brought forward to ``retryAfterFailure`` after a failed write.
    public static func nextWake(_ wake: Duration?, writeFailed: Bool) -> Duration? {
        writeFailed ? min(wake ?? retryAfterFailure, retryAfterFailure) : wake
    }
}
