import Shared

/// Leader election on a Lease as a pure state machine, with client-go's leaderelection rules:
/// read the Lease every retry period; take it when nobody holds it, when we hold it, or when its
/// record has not changed for a whole lease duration as *we* observed it (the holder's clock is
/// never compared with ours); renew it every retry period while leading.
///
/// Guarantees: at most one request in flight; `stopLeading` is emitted as soon as `tick` sees
/// `renewDeadline` passed since the last renewal that succeeded was *sent*, whatever requests
/// still hang, so a leader cut off from the server stops before any other replica (which waits a
/// lease duration from when it saw that renewal) can start. Assumes `renewDeadline <
/// leaseDuration` (checked by the settings) and monotonic `now`s.
public struct LeaderElector: Sendable {
    /// client-go's three durations.
    public struct Timing: Sendable, Equatable {
        public var leaseDuration: Duration
        public var renewDeadline: Duration
        public var retryPeriod: Duration

        public init(
            leaseDuration: Duration = .seconds(15), renewDeadline: Duration = .seconds(10),
            retryPeriod: Duration = .seconds(2)
        ) {
            self.leaseDuration = leaseDuration
            self.renewDeadline = renewDeadline
            self.retryPeriod = retryPeriod
        }
    }

    /// A moment: monotonic for every decision, wall-clock only to write into the Lease.
    public struct Now: Sendable, Equatable {
        public var monotonic: Duration
        /// MicroTime for `acquireTime`/`renewTime`.
        public var wall: String

        public init(_ monotonic: Duration, wall: String) {
            self.monotonic = monotonic
            self.wall = wall
        }
    }

    /// What the driver does.
    public enum Action: Sendable, Equatable {
        /// GET the Lease, then call `read(_:now:)`.
        case read
        /// POST a new Lease, then call `wrote(_:now:)`.
        case create(LeaseRecord)
        /// PUT the Lease at `resourceVersion`, then call `wrote(_:now:)`.
        case update(LeaseRecord, resourceVersion: String)
        /// This replica leads from now on: dispatch writes.
        case startLeading
        /// This replica no longer leads: stop every write at once.
        case stopLeading(reason: String)
        /// The lease was released (or there was nothing to release): shutdown may finish.
        case released
        case log(LeaderLogEvent)
    }

    /// The answer to `read`.
    public enum ReadResult: Sendable, Equatable {
        case found(ObservedLease)
        case notFound
        case failed(String)
    }

    /// The answer to `create` or `update`.
    public enum WriteResult: Sendable, Equatable {
        case written(ObservedLease)
        /// 409: another replica wrote first.
        case conflict
        case failed(String)
    }

    public let identity: String
    public let timing: Timing
    public private(set) var isLeader = false
    /// How many times this replica started leading.
    public private(set) var transitions = 0
    /// The holder as last read or written ("" when none, nil before the first answer).
    public private(set) var observedHolder: String?
    /// When the last successful renewal (or acquisition) was sent.
    public private(set) var lastRenew: Duration?
    var observed: ObservedLease?
    var observedAt: Duration = .zero
    /// When the request in flight was sent; nil when none is.
    var inFlightSince: Duration?
    var inFlightIsRelease = false
    var nextAttempt: Duration = .zero
    var releasing = false
    var finished = false
    var failing = false

    public init(identity: String, timing: Timing = Timing()) {
        self.identity = identity
        self.timing = timing
    }

    /// The next moment `tick` has something to do; nil once released.
    public var nextDeadline: Duration? {
        guard !finished else { return nil }
        var deadlines: [Duration] = []
        if inFlightSince == nil, !releasing { deadlines.append(nextAttempt) }
        if isLeader, let lastRenew { deadlines.append(lastRenew + timing.renewDeadline) }
        return deadlines.min()
    }

    /// Time passes: lose the lead past the renew deadline; start the next attempt when due.
    public mutating func tick(now: Now) -> [Action] {
        var actions: [Action] = []
        if isLeader, let lastRenew, now.monotonic >= lastRenew + timing.renewDeadline {
            actions += stop("not renewed within \(timing.renewDeadline)")
        }
        if !finished, !releasing, inFlightSince == nil, now.monotonic >= nextAttempt {
            inFlightSince = now.monotonic
            actions.append(.read)
        }
        return actions
    }

    /// The Lease as read.
    public mutating func read(_ result: ReadResult, now: Now) -> [Action] {
        inFlightSince = nil
        if releasing { return finishRelease(now: now) }
        switch result {
        case .failed(let reason):
            return retryLater(now, failure: reason)
        case .notFound:
            return send(
                .create(
                    LeaseRecord(
                        holderIdentity: identity, leaseDurationSeconds: leaseSeconds,
                        acquireTime: now.wall, renewTime: now.wall)), now: now)
        case .found(let lease):
            var actions = observe(lease, now: now)
            let record = lease.record
            let validFor =
                record.leaseDurationSeconds > 0 ? Duration.seconds(record.leaseDurationSeconds) : timing.leaseDuration
            if !record.holderIdentity.isEmpty, record.holderIdentity != identity, now.monotonic < observedAt + validFor
            {
                if isLeader { actions += stop("lease held by \(record.holderIdentity)") }
                nextAttempt = now.monotonic + timing.retryPeriod
                return actions + recovered()
            }
            var next = record
            next.renewTime = now.wall
            next.leaseDurationSeconds = leaseSeconds
            if record.holderIdentity != identity {
                next.holderIdentity = identity
                next.acquireTime = now.wall
                next.leaseTransitions = record.leaseTransitions + 1
            }
            return actions + send(.update(next, resourceVersion: lease.resourceVersion), now: now)
        }
    }

    /// The answer to a create or update.
    public mutating func wrote(_ result: WriteResult, now: Now) -> [Action] {
        let sentAt = inFlightSince ?? now.monotonic
        inFlightSince = nil
        if inFlightIsRelease {
            inFlightIsRelease = false
            finished = true
            if case .written(let lease) = result { observedHolder = lease.record.holderIdentity }
            return [.released]
        }
        switch result {
        case .written(let lease):
            var actions = observe(lease, now: now)
            lastRenew = sentAt
            nextAttempt = max(sentAt + timing.retryPeriod, now.monotonic)
            if releasing { return actions + finishRelease(now: now) }
            if !isLeader {
                isLeader = true
                transitions += 1
                actions += [.startLeading, .log(.acquired(identity: identity))]
            }
            return actions + recovered()
        case .conflict:
            if releasing { return finishRelease(now: now) }
            nextAttempt = now.monotonic + timing.retryPeriod
            return []
        case .failed(let reason):
            if releasing { return finishRelease(now: now) }
            return retryLater(now, failure: reason)
        }
    }

    /// SIGTERM: stop leading now and hand the Lease over (empty holder), so a standby takes it
    /// at its next retry instead of after a lease duration.
    public mutating func release(now: Now) -> [Action] {
        guard !releasing, !finished else { return [] }
        releasing = true
        var actions: [Action] = []
        if isLeader { actions += stop("shutting down") }
        if inFlightSince != nil { return actions }
        return actions + finishRelease(now: now)
    }

    private mutating func finishRelease(now: Now) -> [Action] {
        guard let observed, observed.record.holderIdentity == identity, lastRenew != nil else {
            finished = true
            return [.released]
        }
        var record = observed.record
        record.holderIdentity = ""
        record.leaseDurationSeconds = 1
        record.renewTime = now.wall
        record.acquireTime = now.wall
        inFlightIsRelease = true
        inFlightSince = now.monotonic
        return [.update(record, resourceVersion: observed.resourceVersion)]
    }

    private var leaseSeconds: Int { Int(timing.leaseDuration.components.seconds.clamped(to: 1...Int64(Int32.max))) }

    private mutating func send(_ action: Action, now: Now) -> [Action] {
        inFlightSince = now.monotonic
        return [action]
    }

    private mutating func stop(_ reason: String) -> [Action] {
        isLeader = false
        return [.stopLeading(reason: reason), .log(.lost(reason: reason))]
    }

    private mutating func observe(_ lease: ObservedLease, now: Now) -> [Action] {
        if observed?.record != lease.record { observedAt = now.monotonic }
        observed = lease
        let holder = lease.record.holderIdentity
        defer { observedHolder = holder }
        guard observedHolder != holder else { return [] }
        return [.log(.holderChanged(holder: holder))]
    }

    private mutating func retryLater(_ now: Now, failure: String) -> [Action] {
        nextAttempt = now.monotonic + timing.retryPeriod
        guard !failing else { return [] }
        failing = true
        return [.log(.requestFailed(reason: failure))]
    }

    private mutating func recovered() -> [Action] {
        guard failing else { return [] }
        failing = false
        return [.log(.requestsRecovered)]
    }
}

/// What the elector has to say, as data (the driver logs it).
public enum LeaderLogEvent: Sendable, Equatable {
    case acquired(identity: String)
    case lost(reason: String)
    /// The Lease names a new holder ("" when released).
    case holderChanged(holder: String)
    /// A Lease request failed; logged once until one succeeds.
    case requestFailed(reason: String)
    case requestsRecovered
}

extension Comparable {
    func clamped(to range: ClosedRange<Self>) -> Self { min(max(self, range.lowerBound), range.upperBound) }
}
