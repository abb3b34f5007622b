/// Shutdown: drain, then stop children one by one in reverse start order, SIGKILL at deadlines.
extension SupervisionTree {
    /// SIGTERM or SIGINT: stop routing, let executors drain up to half the grace period, then stop children.
    public mutating func requestShutdown(now: Duration, reason: String) -> [Action] {
        guard case .running = phase else { return [] }
        for index in children.indices where children[index].isWaitingToRestart {
            children[index].phase = .stopped
        }
        let hardDeadline = now + settings.shutdownGrace
        phase = .draining(deadline: now + settings.shutdownGrace / 2, hardDeadline: hardDeadline)
        return [.log(.shutdownRequested(reason)), .stopRouting]
    }

    /// The broker's in-flight ledger is empty: stop children now.
    public mutating func brokerDrained(now: Duration) -> [Action] {
        guard case .draining(_, let hardDeadline) = phase else { return [] }
        return beginStopping(hardDeadline: hardDeadline, now: now)
    }

    /// A failure of the whole tree: stop everything at once and exit with `exitCode`.
    mutating func fail(_ event: TreeLogEvent, exitCode: Int32 = 1, now: Duration) -> [Action] {
        self.exitCode = exitCode
        for index in children.indices where children[index].isWaitingToRestart {
            children[index].phase = .stopped
        }
        return [.log(event), .stopRouting] + beginStopping(hardDeadline: now + settings.shutdownGrace, now: now)
    }

    mutating func beginStopping(hardDeadline: Duration, now: Duration) -> [Action] {
        phase = .stopping(hardDeadline: hardDeadline)
        return continueStopping(now: now)
    }

    /// Sends SIGTERM to the last-started child still running, or finishes when none is left.
    mutating func continueStopping(now: Duration) -> [Action] {
        guard case .stopping(let hardDeadline) = phase else { return [] }
        if children.contains(where: \.isStopping) { return [] }
        for index in children.indices.reversed() {
            guard case .running(let pid, let since) = children[index].phase else { continue }
            let killAt = Swift.min(now + children[index].spec.shutdownTimeout, hardDeadline)
            children[index].phase = .stopping(pid: pid, since: since, killAt: killAt, killed: false)
            return [.terminate(children[index].id)]
        }
        if children.contains(where: { $0.phase == .notStarted }) { return [] }
        phase = .finished(exitCode: exitCode)
        return [.log(.finished(exitCode: exitCode)), .exit(code: exitCode)]
    }

    mutating func enforceKillDeadlines(now: Duration) -> [Action] {
        guard case .stopping(let hardDeadline) = phase else { return [] }
        var actions: [Action] = []
        for index in children.indices {
            switch children[index].phase {
            case .stopping(let pid, let since, let killAt, false) where now >= killAt:
                children[index].phase = .stopping(pid: pid, since: since, killAt: killAt, killed: true)
                actions.append(.kill(children[index].id))
            case .running(let pid, let since) where now >= hardDeadline:
                children[index].phase = .stopping(pid: pid, since: since, killAt: hardDeadline, killed: true)
                actions.append(.kill(children[index].id))
            default:
                continue
            }
        }
        return actions
    }
}

extension SupervisionTree.Child {
    var isWaitingToRestart: Bool {
        if case .waitingToRestart = phase { return true }
        return false
    }

    var isStopping: Bool {
        if case .stopping = phase { return true }
        return false
    }
}
