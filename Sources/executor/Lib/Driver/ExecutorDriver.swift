import BrokerProtocol
import Foundation
import KubeAPI
import KubeJSON
import Logging
import Runtime
import UVLoop

/// The executor process's driver: takes commands from the broker, performs them one at a time
/// per OMJob and at most `EXECUTOR_CONCURRENCY` at once, exit handlers first (`CommandScheduler`),
/// and answers each with its `CommandOutcome`.
///
/// Threading: an actor pinned to the worker's loop, so it may use the session (boxed in a
/// `LoopBound`) and its tasks interleave only at `await`s. The performers and the client run on
/// the caller's executor (Package.swift's `operatorStrict`), so a command is decoded, encoded and
/// handed to libcurl on this one thread.
public actor ExecutorDriver {
    public nonisolated let executor: LoopExecutor
    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
    private let session: LoopBound<WorkerSession>
    private let performer: CommandPerformer
    private let logger: Logger
    private var scheduler: CommandScheduler<ReceivedCommandFrame>
    private var counts = OutcomeCounts()

    /// Makes a driver for `session` and hooks it to the session's commands (call on the loop
    /// thread, before the session starts); the session keeps the driver alive from then on.
    @discardableResult
    public static func attach(to session: WorkerSession, client: KubeClient) -> ExecutorDriver {
        let driver = ExecutorDriver(
            session: LoopBound(session, executor: session.loop.executor), client: client,
            concurrency: session.config.executorConcurrency, logger: session.logger)
        session.onCommandFrame = { envelope, frame in
            driver.assumeIsolated { $0.received(ReceivedCommandFrame(envelope: envelope, frame: frame)) }
        }
        return driver
    }

    private init(session: LoopBound<WorkerSession>, client: KubeClient, concurrency: Int, logger: Logger) {
        executor = session.executor
        self.session = session
        performer = CommandPerformer(client: client)
        scheduler = CommandScheduler(limit: concurrency)
        self.logger = logger
    }

    private func received(_ received: ReceivedCommandFrame) {
        start(scheduler.add(received, key: received.envelope.key, urgency: received.urgency))
    }

    private func start(_ commands: [ReceivedCommandFrame]) {
        for command in commands { Task { await self.run(command) } }
    }

    private func run(_ received: ReceivedCommandFrame) async {
        let envelope = received.envelope
        let outcome: CommandOutcome
        let type: String
        switch received.command {
        case .success(let command):
            type = command.action.type
            outcome = await performer.perform(command)
        case .failure(let error):
            type = "undecodable"
            outcome = .invalid("undecodable command: \(error)")
        }
        log(envelope, type: type, outcome: outcome)
        counts.record(type: type, outcome: outcome)
        session.value.reply(ResultEnvelope(id: envelope.id, payload: outcome.payload))
        session.value.reportMetrics { self.assumeIsolated { $0.counts.report } }
        start(scheduler.finish(key: envelope.key))
    }

    private func log(_ envelope: CommandEnvelope, type: String, outcome: CommandOutcome) {
        var metadata: Logger.Metadata = [
            LogKeys.omjobNamespace: "\(envelope.key.namespace)", LogKeys.omjobName: "\(envelope.key.name)",
            LogKeys.commandID: "\(envelope.id)", LogKeys.commandType: "\(type)", LogKeys.outcome: "\(outcome.name)",
        ]
        if let message = outcome.message { metadata[LogKeys.reason] = "\(message)" }
        switch outcome {
        case .done, .alreadyExists, .notFound, .conflict: logger.debug("command performed", metadata: metadata)
        case .invalid, .failed: logger.warning("command not performed", metadata: metadata)
        }
    }
}

/// A command as routed (id, key), decoded on arrival: its type decides its urgency, and a frame that
/// does not decode is answered `invalid` in its OMJob's turn like any other outcome.
struct ReceivedCommandFrame {
    var envelope: CommandEnvelope
    var command: Result<Command, JSONReadError>

    init(envelope: CommandEnvelope, frame: [UInt8]) {
        self.envelope = envelope
        command = Result { () throws(JSONReadError) -> Command in try CommandFrame.decode(Command.self, from: frame) }
    }

    var urgency: CommandScheduler<Self>.Urgency {
        guard case .success(let command) = command else { return .normal }
        switch command.action {
        case .createPod(let create) where create.podType == .exitHandler: return .urgent
        case .confirmPodUnchanged, .confirmPodAbsent: return .urgent
        default: return .normal
        }
    }
}

/// Counters the executor reports: commands by type and outcome (no object names as labels).
struct OutcomeCounts {
    private struct Key: Hashable {
        var type: String
        var outcome: String
    }

    private var totals: [Key: Double] = [:]

    mutating func record(type: String, outcome: CommandOutcome) {
        totals[Key(type: type, outcome: outcome.name), default: 0] += 1
    }

    var report: MetricsReport {
        MetricsReport(
            counters: totals.map { key, value in
                MetricSample(
                    name: MetricCatalogue.executorCommands.name, labels: ["type": key.type, "outcome": key.outcome],
                    value: value)
            })
    }
}
