import Foundation
import KubeJSON
import Logging
import Shared

/// The executor process's driver: takes commands from the broker, performs them one at a time
/// per OMJob (many OMJobs at once), answers each with its `CommandOutcome`.
///
/// Threading: an actor pinned to the worker's loop, so it may use the session (boxed in a
/// `LoopBound`) and its tasks interleave only at `await`s.
public actor ExecutorDriver {
    public nonisolated let executor: LoopExecutor
    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
    private let session: LoopBound<WorkerSession>
    private let performer: CommandPerformer
    private let cronPerformer: CronCommandPerformer
    private let logger: Logger
    private var queue = KeyedSerialQueue<CommandEnvelope>()
    private var counts = OutcomeCounts()

    /// Makes a driver for `session` and hooks it to the session's commands (call on the loop
    /// thread, before the session starts); the session keeps the driver alive from then on.
    @discardableResult
    public static func attach(to session: WorkerSession, client: KubeClient) -> ExecutorDriver {
        let driver = ExecutorDriver(session: LoopBound(session, executor: session.loop.executor), client: client, logger: session.logger)
        session.onCommand = { envelope in driver.assumeIsolated { $0.received(envelope) } }
        return driver
    }

    private init(session: LoopBound<WorkerSession>, client: KubeClient, logger: Logger) {
        executor = session.executor
        self.session = session
        performer = CommandPerformer(client: client)
        cronPerformer = CronCommandPerformer(client: client)
        self.logger = logger
    }

    private func received(_ envelope: CommandEnvelope) {
        guard let first = queue.enqueue(envelope, key: envelope.key) else { return }
        start(first)
    }

    private func start(_ envelope: CommandEnvelope) {
        Task { await self.run(envelope) }
    }

    private func run(_ envelope: CommandEnvelope) async {
        let outcome: CommandOutcome
        let type: String
        do {
            // A CronOMJob's commands name the CronOMJob's UID; a run's name the OMJob's.
            if envelope.payload["cronUID"] != nil {
                let command = try envelope.payload.decoded(as: CronCommand.self)
                type = "cron." + command.action.type
                outcome = await cronPerformer.perform(command)
            } else {
                let command = try envelope.payload.decoded(as: Command.self)
                type = command.action.type
                outcome = await performer.perform(command)
            }
        } catch {
            type = "undecodable"
            outcome = .invalid("undecodable command: \(error)")
        }
        log(envelope, type: type, outcome: outcome)
        counts.record(type: type, outcome: outcome)
        session.value.reply(ResultEnvelope(id: envelope.id, payload: outcome.payload))
        session.value.report(counts.report)
        if let next = queue.finish(key: envelope.key) { start(next) }
    }

    private func log(_ envelope: CommandEnvelope, type: String, outcome: CommandOutcome) {
        var metadata: Logger.Metadata = [LogKeys.omjobNamespace: "\(envelope.key.namespace)", LogKeys.omjobName: "\(envelope.key.name)",
                                         LogKeys.commandID: "\(envelope.id)", LogKeys.commandType: "\(type)", LogKeys.outcome: "\(outcome.name)"]
        if let message = outcome.message { metadata[LogKeys.reason] = "\(message)" }
        switch outcome {
        case .done, .alreadyExists, .notFound, .conflict: logger.debug("command performed", metadata: metadata)
        case .invalid, .failed: logger.warning("command not performed", metadata: metadata)
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
        MetricsReport(counters: totals.map { key, value in
            MetricSample(name: "omjob_executor_commands_total", labels: ["type": key.type, "outcome": key.outcome], value: value)
        })
    }
}
