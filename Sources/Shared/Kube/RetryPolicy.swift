/// When to retry a failed call: exponential backoff with jitter, the server's Retry-After
/// honoured, all bounded by a deadline. Pure: the caller passes elapsed time and jitter.
///
/// Guarantees: never retries a permanent error; never sleeps past `deadline`; never waits
/// less than the server's Retry-After.
public struct RetryPolicy: Sendable, Hashable {
    /// First backoff: long enough for a restarting API server's listener to come back.
    public var initialBackoff: Duration
    /// Backoff cap: a longer wait only delays recovery once the server is back.
    public var maxBackoff: Duration
    /// Total time budget from the first attempt; the executor's commands must answer within it.
    public var deadline: Duration

    public init(
        initialBackoff: Duration = .milliseconds(100), maxBackoff: Duration = .seconds(10),
        deadline: Duration = .seconds(60)
    ) {
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
        self.deadline = deadline
    }

    /// The default for API calls.
    public static let standard = RetryPolicy()
    /// One attempt only.
    public static let never = RetryPolicy(deadline: .zero)

    /// What to do after a failure.
    public enum Decision: Sendable, Equatable {
        case retry(after: Duration)
        case giveUp
    }

    /// Decides after failure number `attempt` (1 for the first), `elapsed` since the first
    /// attempt began, with `jitter` uniform in [0, 1).
    public func decide(_ error: KubeError, attempt: Int, elapsed: Duration, jitter: Double) -> Decision {
        guard case .transient(let serverDelay) = error.disposition else { return .giveUp }
        var delay = backoff(attempt: attempt, jitter: jitter)
        if let serverDelay { delay = max(delay, serverDelay) }
        return elapsed + delay <= deadline ? .retry(after: delay) : .giveUp
    }

    /// "Equal jitter": half the exponential step fixed, half random, so retrying clients spread
    /// out without ever retrying immediately.
    public func backoff(attempt: Int, jitter: Double) -> Duration {
        let exponent = min(max(attempt - 1, 0), 30)
        let step = min(initialBackoff * (1 << exponent), maxBackoff)
        return step / 2 + step * (jitter / 2)
    }
}
