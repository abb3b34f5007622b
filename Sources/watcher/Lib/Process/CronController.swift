import Foundation
import KubeJSON
import Shared

/// The CronOMJob controller: the pure `CronScheduler` over the cache's view of one schedule.
/// The new run's id (a UUID) is drawn here, the one impure input the scheduler takes as data.
public struct CronController: Controller {
    public let name = "cronomjob"
    public let settings: CronSettings

    public init(settings: CronSettings = CronSettings()) { self.settings = settings }

    public func reconcile(_ key: ObjectKey, cache: WatchCache, now: Date) -> Reconciliation {
        guard let cron = cache.cronOMJobs[key] else { return Reconciliation() }
        let observation = CronObservation(
            cron: cron, runs: cache.runs(ofCron: key), now: now, newRunID: UUID().uuidString.lowercased())
        let decision = CronScheduler.decide(observation, settings: settings)
        var planned: [PlannedCommand] = []
        var versionBound: Set<String> = []
        for command in decision.commands {
            planned.append(PlannedCommand(id: command.id, key: command.key, command: command))
            if case .patchCronOMJobStatus = command.action { versionBound.insert(command.id) }
        }
        return Reconciliation(commands: planned, versionBound: versionBound, nextLook: decision.wakeAt)
    }
}
