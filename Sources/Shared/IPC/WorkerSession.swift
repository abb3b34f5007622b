import Logging

#if canImport(Glibc)
    import Glibc
#endif

/// One worker's conversation with the broker, with the hooks a role fills in: commands (the
/// executor), readiness and conditions (the watcher), metrics (everyone).
public final class WorkerSession {
    public let loop: EventLoop
    public let role: String
    public let config: OperatorConfig
    public var logger: Logger
    /// Called for each command routed to this worker; answer with ``reply(_:)``.
    public var onCommand: ((CommandEnvelope) -> Void)?
    /// When set (before the session starts), commands come here instead of ``onCommand``, with
    /// the payload undecoded (`.null`) and the frame's JSON, for ``CommandFrame/decode(_:from:)``.
    public var onCommandFrame: ((CommandEnvelope, [UInt8]) -> Void)?
    /// Called for each result of a command this worker sent.
    public var onResult: ((ResultEnvelope) -> Void)?
    /// Called when the broker says whether this replica leads (a standby must not write).
    public var onLeadership: ((Bool) -> Void)?
    /// Called when the broker asks the worker to drain; the default stops the loop.
    public var onShutdown: (() -> Void)?
    /// True until the role calls ``markReady()`` itself (roles that need a warm-up set it false).
    public var readyAtStart = true
    /// The code `WorkerMain` exits with.
    public private(set) var exitCode: Int32 = 0
    private let connection: WorkerConnection
    private var signals: [SignalWatcher] = []
    /// Metrics reports go out at most once per `metricsInterval`. A report holds totals, so only
    /// the latest matters; one per command cost an executor a fifth of its CPU and the broker,
    /// which decodes each in full, most of its own.
    public static let metricsInterval = Duration.milliseconds(500)
    /// Builds the report when it is sent: the watcher asks after every drain of its queue and the
    /// executor after every command, and of the reports built each time only the last was sent.
    private var pendingMetrics: (() -> MetricsReport)?
    private var metricsTimer: LoopTimer?

    init(loop: EventLoop, role: String, config: OperatorConfig, socketPath: String, logger: Logger) {
        self.loop = loop
        self.role = role
        self.config = config
        self.logger = logger
        connection = WorkerConnection(
            loop: loop, socketPath: socketPath,
            hello: Hello(role: role, pid: getpid(), instance: config.instance),
            heartbeatInterval: config.heartbeatInterval)
    }

    /// Tells the broker this worker takes work.
    public func markReady() { connection.send(.ready) }

    /// Sends the one result of a command.
    public func reply(_ result: ResultEnvelope) { connection.send(.result(result)) }

    /// Sends a command to the broker for an executor.
    public func submit(_ command: CommandEnvelope) { connection.send(.command(command)) }

    /// Sends a command frame made by ``CommandFrame/encode(id:key:payload:)``.
    public func submit(frame: [UInt8]) { connection.send(frame: frame) }

    /// Reports conditions shown on `/ready`.
    public func report(_ conditions: WorkerConditions) { connection.send(.conditions(conditions)) }

    /// Reports counters (totals since this process started) and gauges, within `metricsInterval`.
    public func report(_ metrics: MetricsReport) {
        reportMetrics { metrics }
    }

    /// Reports what `build` returns when the report is sent (on the loop thread, within
    /// `metricsInterval`): the latest totals, built once per report instead of once per change.
    public func reportMetrics(_ build: @escaping () -> MetricsReport) {
        let scheduled = pendingMetrics != nil
        pendingMetrics = build
        guard !scheduled else { return }
        if metricsTimer == nil { metricsTimer = try? LoopTimer(loop: loop) }
        guard let metricsTimer else { return flushMetrics() }
        metricsTimer.start(after: Self.metricsInterval) { [weak self] in self?.flushMetrics() }
    }

    private func flushMetrics() {
        guard let build = pendingMetrics else { return }
        pendingMetrics = nil
        connection.send(.metrics(build()))
    }

    /// Ends the worker: closes the connection and stops the loop, so `run` exits with `code`.
    public func stop(exitCode code: Int32 = 0) {
        exitCode = code
        flushMetrics()
        metricsTimer?.close()
        metricsTimer = nil
        connection.close()
        for signal in signals { signal.close() }
        signals = []
        loop.stop()
    }

    func start() throws {
        let stopGracefully: (Int32) -> Void = { [weak self] signal in
            self?.logger.info("stopping on signal", metadata: ["signal": "\(signal)"])
            self?.drain()
        }
        signals = [
            try SignalWatcher(loop: loop, signal: SIGTERM, stopGracefully),
            try SignalWatcher(loop: loop, signal: SIGINT, stopGracefully),
            try SignalWatcher(loop: loop, signal: SIGHUP) { [config] _ in
                _ = LogLevelControl.toggleDebug(configured: config.logLevel)
            },
        ]
        try connection.start(
            opaquePayloads: onCommandFrame != nil, message: { [weak self] in self?.handle($0) },
            closed: { [weak self] reason in
                self?.logger.warning("broker connection ended; exiting", metadata: [LogKeys.reason: "\(reason)"])
                self?.stop(exitCode: 0)
            })
        logger.info("worker started", metadata: ["socket": "\(config.brokerSocket ?? "")"])
        if readyAtStart { markReady() }
    }

    private func drain() {
        if let onShutdown { onShutdown() } else { stop() }
    }

    private func handle(_ decoded: DecodedMessage) {
        switch decoded.message {
        case .command(let command):
            if let onCommandFrame { onCommandFrame(command, decoded.payload) } else { onCommand?(command) }
        case .result(let result): onResult?(result)
        case .logLevel(let name):
            if let level = Logger.Level(operatorName: name) { LogLevelControl.level = level }
        case .shutdown: drain()
        case .leadership(let leading): onLeadership?(leading)
        case .welcome, .ctlReply, .heartbeat: break
        case .error(let reason): logger.error("broker reported an error", metadata: [LogKeys.reason: "\(reason)"])
        case .hello, .ready, .conditions, .metrics, .ctl: break
        }
    }
}
