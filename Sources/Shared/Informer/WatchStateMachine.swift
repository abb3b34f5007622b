/// The list-then-watch state of one informer, after kube-rs `watcher.rs`: a pure value
/// advanced by `step`, which returns what the driver must do next. No clock, no randomness:
/// the driver passes `jitter` in, so tables can test every transition.
///
/// - empty: nothing known, a list is due;
/// - listing: a list is in flight;
/// - listed(rv): the store holds the list at `rv`; a watch from `rv` is being opened;
/// - watching(rv): a watch is open; `rv` is the last version seen (event or bookmark), the
///   point to resume from if the stream is cut.
public struct WatchStateMachine: Sendable, Hashable {
    public enum State: Sendable, Hashable {
        case empty
        case listing
        case listed(resourceVersion: String)
        case watching(resourceVersion: String)
    }

    /// What happened, as the driver observed it.
    public enum Input: Sendable, Hashable {
        case start
        case listSucceeded(resourceVersion: String)
        /// Any list failure other than 410.
        case listFailed
        case watchOpened
        /// An object event or a bookmark at `resourceVersion`.
        case event(resourceVersion: String)
        /// The server closed the stream cleanly (its `timeoutSeconds`): resume at once.
        case watchEnded
        /// The connection broke (transient): resume from the last version after a backoff.
        case watchBroke
        /// The server refused the watch with an error other than 410: relist after a backoff.
        case watchRefused
        /// 410 Gone: the version is older than the server's history; only a relist can recover.
        case gone
    }

    /// What the driver does next.
    public enum Action: Sendable, Hashable {
        case list(after: Duration)
        case watch(from: String, after: Duration)
        /// Keep consuming the current watch.
        case none
    }

    /// First reconnect delay: client-go's reflector uses 800 ms, enough for a restarting API server.
    public static let initialBackoff = Duration.milliseconds(800)
    /// Cap on the reconnect delay, as client-go: beyond 30 s the informer is stale for too long.
    public static let maxBackoff = Duration.seconds(30)

    public private(set) var state: State = .empty
    /// Consecutive failures since the last success; drives the backoff.
    public private(set) var failures = 0
    /// The backoff bounds; the named constants unless a test shortens them.
    public var firstBackoff: Duration
    public var backoffCap: Duration

    public init(
        state: State = .empty, failures: Int = 0, firstBackoff: Duration = initialBackoff,
        backoffCap: Duration = maxBackoff
    ) {
        self.state = state
        self.failures = failures
        self.firstBackoff = firstBackoff
        self.backoffCap = backoffCap
    }

    /// Advances on `input`; `jitter` in [0, 1) stretches a backoff by up to 2×, so informers
    /// restarted together do not reconnect together.
    public mutating func step(_ input: Input, jitter: Double) -> Action {
        switch (state, input) {
        case (.empty, .start):
            state = .listing
            return .list(after: .zero)
        case (.listing, .listSucceeded(let rv)):
            state = .listed(resourceVersion: rv)
            failures = 0
            return .watch(from: rv, after: .zero)
        case (.listing, .listFailed):
            failures += 1
            return .list(after: backoff(jitter: jitter))
        case (.listed(let rv), .watchOpened):
            state = .watching(resourceVersion: rv)
            return .none
        case (.watching, .event(let rv)), (.listed, .event(let rv)):
            state = .watching(resourceVersion: rv)
            failures = 0
            return .none
        case (.watching(let rv), .watchEnded), (.listed(let rv), .watchEnded):
            state = .listed(resourceVersion: rv)
            return .watch(from: rv, after: .zero)
        case (.watching(let rv), .watchBroke), (.listed(let rv), .watchBroke):
            state = .listed(resourceVersion: rv)
            failures += 1
            return .watch(from: rv, after: backoff(jitter: jitter))
        case (.watching, .watchRefused), (.listed, .watchRefused):
            state = .listing
            failures += 1
            return .list(after: backoff(jitter: jitter))
        case (_, .gone):
            state = .listing
            return .list(after: .zero)
        default:
            return .none  // an input that does not apply in this state (a stale callback): ignore
        }
    }

    /// 800 ms × 2^(failures-1), capped at 30 s, times (1 + jitter).
    func backoff(jitter: Double) -> Duration {
        let exponent = min(max(failures - 1, 0), 16)
        let base = min(firstBackoff * (1 << exponent), backoffCap)
        return base * (1 + jitter)
    }
}
