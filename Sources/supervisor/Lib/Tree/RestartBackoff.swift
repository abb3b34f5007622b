/// Per-child exponential backoff between restarts, reset once a child has run for a stable period.
///
/// The delay doubles from `floor` up to `cap`; a child that stayed up `stableAfter` or longer is
/// considered healthy again and its next restart waits only `floor` (the reset of client-go's
/// backoff and of s6's "at least a second between respawns of a crashing child").
public struct RestartBackoff: Sendable, Equatable {
    /// The shortest wait: never respawn in a tight loop.
    public var floor: Duration
    /// The longest wait: a broken child is still retried often enough to recover on its own.
    public var cap: Duration
    /// Uptime after which a crash is no longer part of a crash loop.
    public var stableAfter: Duration
    /// Crashes in the current loop.
    public private(set) var consecutiveFailures = 0

    public init(
        floor: Duration = .milliseconds(100), cap: Duration = .seconds(30), stableAfter: Duration = .seconds(10)
    ) {
        self.floor = floor
        self.cap = cap
        self.stableAfter = stableAfter
    }

    /// The wait before restarting a child that ran for `uptime`.
    public mutating func delay(afterUptime uptime: Duration) -> Duration {
        if uptime >= stableAfter { consecutiveFailures = 0 }
        consecutiveFailures += 1
        var delay = floor
        for _ in 1..<consecutiveFailures {
            delay = delay * 2
            if delay >= cap { return cap }
        }
        return Swift.min(delay, cap)
    }
}
