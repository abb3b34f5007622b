/// The process tree as a pure state machine: child specs in, spawn/signal/exit actions out.
///
/// One `mutating func` per input (start, spawned, exited, tick, shutdown request, broker
/// drained), each returning the actions the driver must perform; the clock is passed in as
/// `now` (time since the supervisor started), never read here, so tests need no sleeps.
public struct SupervisionTree: Sendable {
    /// Tuning shared by every child.
    public struct Settings: Sendable, Equatable {
        public var backoff: RestartBackoff
        public var maxRestarts: Int
        public var restartPeriod: Duration
        /// From SIGTERM to SIGKILL of whatever is left: the whole drain-and-stop budget.
        public var shutdownGrace: Duration

        public init(
            backoff: RestartBackoff = RestartBackoff(), maxRestarts: Int = 10,
            restartPeriod: Duration = .seconds(60), shutdownGrace: Duration = .seconds(20)
        ) {
            self.backoff = backoff
            self.maxRestarts = maxRestarts
            self.restartPeriod = restartPeriod
            self.shutdownGrace = shutdownGrace
        }
    }

    /// Where one child is in its life.
    public enum ChildPhase: Equatable, Sendable {
        case notStarted
        case running(pid: Int32, since: Duration)
        case waitingToRestart(until: Duration)
        case stopping(pid: Int32, since: Duration, killAt: Duration, killed: Bool)
        /// Exited and will not be started again.
        case stopped
    }

    /// One child and its history.
    public struct Child: Sendable, Equatable {
        public let id: ChildID
        public let spec: ChildSpec
        public internal(set) var phase: ChildPhase = .notStarted
        public internal(set) var restarts = 0
        public internal(set) var lastExit: ChildExitStatus?
        var backoff: RestartBackoff
    }

    /// Where the tree as a whole is.
    public enum Phase: Equatable, Sendable {
        case running
        /// Routing stopped; executors finish in-flight commands until the broker is empty or `deadline`.
        case draining(deadline: Duration, hardDeadline: Duration)
        /// Children are stopped one by one in reverse start order.
        case stopping(hardDeadline: Duration)
        case finished(exitCode: Int32)
    }

    /// What the driver does.
    public enum Action: Equatable, Sendable {
        case spawn(ChildID)
        case terminate(ChildID)
        case kill(ChildID)
        /// Stop accepting commands; tell the tree `brokerDrained` once the in-flight ledger is empty.
        case stopRouting
        case log(TreeLogEvent)
        case exit(code: Int32)
    }

    public let settings: Settings
    public internal(set) var children: [Child]
    public internal(set) var phase: Phase = .running
    var intensity: RestartIntensity
    /// The exit code once shutdown completes: 0 for a requested stop, 1 after a failure.
    var exitCode: Int32 = 0

    public init(specs: [ChildSpec], settings: Settings) {
        self.settings = settings
        self.children = specs.flatMap { spec in
            spec.childIDs.map { Child(id: $0, spec: spec, backoff: settings.backoff) }
        }
        self.intensity = RestartIntensity(maxRestarts: settings.maxRestarts, period: settings.restartPeriod)
    }

    /// Spawns every child in spec order.
    public mutating func start(now: Duration) -> [Action] {
        children.map { .spawn($0.id) }
    }

    /// The driver started `id` as process `pid`.
    public mutating func spawned(_ id: ChildID, pid: Int32, now: Duration) -> [Action] {
        guard let index = index(of: id) else { return [] }
        children[index].phase = .running(pid: pid, since: now)
        // A spawn that completes after shutdown began is stopped in turn.
        return [.log(.spawned(id, pid: pid))] + continueStopping(now: now)
    }

    /// `id` exited (or could not be spawned).
    public mutating func exited(_ id: ChildID, status: ChildExitStatus, now: Duration) -> [Action] {
        guard let index = index(of: id) else { return [] }
        let startedAt = children[index].startedAt ?? now
        children[index].lastExit = status
        guard case .running = phase else {
            children[index].phase = .stopped
            return [.log(.exitedDuringShutdown(id, status))] + continueStopping(now: now)
        }
        return restartOrGiveUp(index: index, status: status, uptime: now - startedAt, now: now)
    }

    /// Timers: restarts that are due, drain and kill deadlines.
    public mutating func tick(now: Duration) -> [Action] {
        switch phase {
        case .running:
            var actions: [Action] = []
            for index in children.indices {
                guard case .waitingToRestart(let until) = children[index].phase, until <= now else { continue }
                children[index].phase = .notStarted
                children[index].restarts += 1
                actions.append(.spawn(children[index].id))
            }
            return actions
        case .draining(let deadline, let hardDeadline):
            guard now >= deadline else { return [] }
            return [.log(.drainTimedOut)] + beginStopping(hardDeadline: hardDeadline, now: now)
        case .stopping:
            return enforceKillDeadlines(now: now)
        case .finished:
            return []
        }
    }

    /// The earliest moment `tick` has something to do, for the driver's one timer.
    public var nextDeadline: Duration? {
        switch phase {
        case .running:
            return children.compactMap { if case .waitingToRestart(let until) = $0.phase { until } else { nil } }.min()
        case .draining(let deadline, _):
            return deadline
        case .stopping(let hardDeadline):
            let kills = children.compactMap {
                if case .stopping(_, _, let killAt, false) = $0.phase { killAt } else { nil }
            }
            return (kills + [hardDeadline]).min()
        case .finished:
            return nil
        }
    }

    func index(of id: ChildID) -> Int? { children.firstIndex { $0.id == id } }

    private mutating func restartOrGiveUp(index: Int, status: ChildExitStatus, uptime: Duration, now: Duration)
        -> [Action]
    {
        let child = children[index]
        if status.forbidsRestart {
            children[index].phase = .stopped
            guard child.spec.restart == .permanent else { return [.log(.notRestarted(child.id, status))] }
            return fail(.permanentChildGaveUp(child.id, status), now: now)
        }
        let wanted: Bool
        switch child.spec.restart {
        case .permanent: wanted = true
        case .transient: wanted = !status.isNormal
        case .temporary: wanted = false
        }
        guard wanted else {
            children[index].phase = .stopped
            return [.log(.notRestarted(child.id, status))]
        }
        guard intensity.recordRestart(at: now) else {
            children[index].phase = .stopped
            return fail(
                .intensityExceeded(
                    child.id, status, restarts: intensity.recentRestarts, period: settings.restartPeriod), now: now)
        }
        let delay = children[index].backoff.delay(afterUptime: uptime)
        children[index].phase = .waitingToRestart(until: now + delay)
        return [.log(.willRestart(child.id, status, after: delay))]
    }
}

extension SupervisionTree.Child {
    /// When the current process started, if one is running.
    var startedAt: Duration? {
        switch phase {
        case .running(_, let since), .stopping(_, let since, _, _): return since
        default: return nil
        }
    }

    /// The running process, if any.
    public var pid: Int32? {
        switch phase {
        case .running(let pid, _), .stopping(let pid, _, _, _): return pid
        default: return nil
        }
    }
}
