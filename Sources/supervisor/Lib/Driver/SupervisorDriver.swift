import Logging
import Shared

#if canImport(Glibc)
    import Glibc
#endif

/// Performs what the supervision tree and the broker decide: the only supervisor code that
/// touches processes, sockets, timers and signals. Lives on the loop thread.
final class SupervisorDriver {
    let loop: EventLoop
    let config: OperatorConfig
    let environment: [String: String]
    let runDirectory: RunDirectory
    var logger: Logger
    let clock = MonotonicClock()
    var tree: SupervisionTree
    var broker: Broker
    let metrics = MetricsRegistry()
    var workerTotals = WorkerCounterTotals()
    var processes: [ChildID: ChildProcess] = [:]
    var connections: [Broker.ConnectionID: BrokerConnection] = [:]
    var nextConnectionID = 1
    var outbox = Outbox()
    var server: UnixServer?
    var healthServer: TCPServer?
    var treeTimer: LoopTimer?
    var housekeeping: LoopTimer?
    var signals: [SignalWatcher] = []
    /// Leader election (nil when not elected: see `LeaderStatus.unelectedReason`).
    var elector: LeaderElector?
    var leaseClient: KubeClient?
    var leaderTimer: LoopTimer?
    var leaderStatus = LeaderStatus()
    /// The code `run` returns once the tree has finished.
    var exitCode: Int32?

    init(
        loop: EventLoop, config: OperatorConfig, environment: [String: String], runDirectory: RunDirectory,
        specs: [ChildSpec], logger: Logger
    ) {
        self.loop = loop
        self.config = config
        self.environment = environment
        self.runDirectory = runDirectory
        self.logger = logger
        tree = SupervisionTree(
            specs: specs,
            settings: SupervisionTree.Settings(
                backoff: RestartBackoff(cap: config.restartBackoffMax), maxRestarts: config.restartIntensity,
                restartPeriod: config.restartPeriod, shutdownGrace: config.shutdownGrace))
        broker = Broker(
            limits: Broker.Limits(
                queueLimit: config.brokerQueueLimit,
                heartbeatTimeout: config.heartbeatInterval * 15))
        SupervisorMetrics.declare(in: metrics)
    }

    /// Opens the sockets, installs signal handlers and spawns the children.
    func start() throws {
        server = try UnixServer(
            loop: loop, path: runDirectory.socketPath, accept: { [unowned self] in accepted($0) },
            refuse: { [unowned self] reason in
                metrics.increment(SupervisorMetrics.refusedConnections)
                logger.warning("broker connection refused", metadata: [LogKeys.reason: "\(reason)"])
            })
        healthServer = try TCPServer(loop: loop, host: "0.0.0.0", port: config.healthCheckPort) { [unowned self] in
            servedHTTP($0)
        }
        logger.info(
            "supervisor listening",
            metadata: [
                "socket": "\(runDirectory.socketPath)", "health.port": "\(healthServer!.port)",
            ])
        treeTimer = try LoopTimer(loop: loop)
        let housekeeping = try LoopTimer(loop: loop)
        housekeeping.start(after: .seconds(1), repeating: .seconds(1)) { [unowned self] in houseKeep() }
        self.housekeeping = housekeeping
        try installSignals()
        leaderTimer = try LoopTimer(loop: loop)
        startLeaderElection()
        perform(tree.start(now: clock.now()))
    }

    // MARK: Tree actions

    func perform(_ actions: [SupervisionTree.Action]) {
        for action in actions {
            switch action {
            case .spawn(let id): spawn(id)
            case .terminate(let id): _ = processes[id]?.kill(SIGTERM)
            case .kill(let id): _ = processes[id]?.kill(SIGKILL)
            case .stopRouting: perform(broker.stopRouting())
            case .log(let event): log(event)
            case .exit(let code): exitReleasingLease(code)
            }
        }
        rearmTreeTimer()
    }

    private func spawn(_ id: ChildID) {
        guard let spec = tree.children.first(where: { $0.id == id })?.spec else { return }
        var env = environment
        env[Settings.brokerSocket.name] = runDirectory.socketPath
        env[Settings.childInstance.name] = String(id.instance)
        env[ParentDeath.supervisorPIDVariable] = String(getpid())
        env["OMJOB_ROLE"] = id.role
        do {
            let process = try ChildProcess(
                loop: loop, executable: spec.executable, arguments: spec.arguments, environment: env
            ) {
                [unowned self] termination in childExited(id, termination)
            }
            processes[id] = process
            perform(tree.spawned(id, pid: process.pid, now: clock.now()))
        } catch {
            perform(tree.exited(id, status: .spawnFailed("\(error)"), now: clock.now()))
        }
    }

    private func childExited(_ id: ChildID, _ termination: ChildProcess.Termination) {
        processes.removeValue(forKey: id)?.close()
        let status: ChildExitStatus
        switch termination {
        case .exited(let code): status = .exited(code)
        case .signaled(let signal): status = .signaled(signal)
        }
        perform(tree.exited(id, status: status, now: clock.now()))
    }

    private func rearmTreeTimer() {
        guard let treeTimer, !treeTimer.isClosing else { return }
        guard let deadline = tree.nextDeadline else { return treeTimer.stop() }
        let delay = max(deadline - clock.now(), .milliseconds(1))
        treeTimer.start(after: delay) { [unowned self] in perform(tree.tick(now: clock.now())) }
    }

    func finish(_ code: Int32) {
        guard exitCode == nil else { return }
        exitCode = code
        for connection in connections.values { connection.stream.close() }
        runDirectory.remove()
        loop.stop()
    }

    private func installSignals() throws {
        let shutdown: (Int32) -> Void = { [unowned self] signal in
            perform(tree.requestShutdown(now: clock.now(), reason: signal == SIGINT ? "SIGINT" : "SIGTERM"))
        }
        signals = [
            try SignalWatcher(loop: loop, signal: SIGTERM, shutdown),
            try SignalWatcher(loop: loop, signal: SIGINT, shutdown),
            try SignalWatcher(loop: loop, signal: SIGHUP) { [unowned self] _ in
                let level = LogLevelControl.toggleDebug(configured: config.logLevel)
                logger.notice("log level changed by SIGHUP", metadata: [LogKeys.logLevel: "\(level)"])
                perform(broker.logLevelChanged(level.rawValue))
            },
            try SignalWatcher(loop: loop, signal: SIGCHLD) { [unowned self] _ in reapOrphans() },
        ]
    }

    /// Once a second: heartbeat deadlines, orphan zombies, gauges.
    private func houseKeep() {
        perform(broker.tick(now: clock.now()))
        reapOrphans()
    }

    private func reapOrphans() {
        guard getpid() == 1 else { return }
        let reaped = OrphanReaper.reap(excluding: Set(processes.values.map(\.pid)))
        for pid in reaped { logger.debug("reaped orphan", metadata: [LogKeys.childPID: "\(pid)"]) }
    }
}
