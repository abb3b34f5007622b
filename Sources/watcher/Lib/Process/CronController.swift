import Foundation
import KubeJSON
import Shared

/// The CronOMJob controller: the pure `CronScheduler` over the cache's CronOMJob and its runs.
///
/// Each reconciliation passes a fresh UUID as the run id a new run would get; the decision is
/// otherwise deterministic, and so are the command ids (`<cron uid>/create/<run name>`), so a
/// repeated decision while a create is in flight is dropped by the driver's ledger and a create
/// repeated after a crash is `409 AlreadyExists` on the same run (resolved by `isSameRun`).
public struct CronController: Controller {
    public let name = "cronomjob"
    public let settings: CronSettings
    /// A new run id per decision (injected so tests can fix it).
    public var newRunID: @Sendable () -> String = { UUID().uuidString.lowercased() }

    public init(settings: CronSettings = CronSettings()) { self.settings = settings }

    public func reconcile(_ key: ObjectKey, cache: WatchCache, now: Date) -> Reconciliation {
        guard let cron = cache.crons[key], let uid = cron.metadata.uid else { return Reconciliation() }
        let observation = CronObservation(cron: cron, runs: cache.runs(ownedBy: uid, in: key.namespace), now: now, newRunID: newRunID())
        let decision = CronScheduler.decide(observation, settings: settings)
        let envelopes = decision.commands.compactMap { command -> CommandEnvelope? in
            // Encoding a model cannot fail short of a bug; dropping the command is safe (decided again).
            guard let payload = try? JSONValue.encoded(from: command) else { return nil }
            return CommandEnvelope(id: command.id, key: command.key, payload: payload)
        }
        let versionBound = decision.commands.filter { if case .patchCronOMJobStatus = $0.action { true } else { false } }.map(\.id)
        return Reconciliation(commands: envelopes, versionBound: Set(versionBound), nextLook: decision.wakeAt)
    }
}
