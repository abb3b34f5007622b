import Foundation
import Shared

/// A CronOMJob's history limits: keep the newest `successfulJobsHistoryLimit` Succeeded and
/// `failedJobsHistoryLimit` Failed runs, delete the older ones (the Java operator accepted the
/// fields and ignored them).
///
/// Guarantees: only finished runs of this CronOMJob (`CronOwnership`) are ever deleted, so
/// a running run or its exit handler is never cut short; a run already being deleted neither
/// counts as kept nor is asked again, so repeated decisions converge on exactly N kept runs.
public enum HistoryLimits {
    /// Deletions for `cron`, oldest first, given the OMJobs of its namespace.
    public static func decide(cron: CronOMJob, runs: [OMJob], settings: GCSettings) -> [GCCommand] {
        guard let uid = cron.metadata.uid, let spec = cron.spec, !cron.metadata.isBeingDeleted else { return [] }
        let owned = runs.filter { run in !run.metadata.isBeingDeleted && CronOwnership.isRun(run, of: cron) }
        let limits: [(OMJobPhase, Int)] = [
            (.succeeded, spec.successfulJobsHistoryLimit ?? settings.defaultHistoryLimit),
            (.failed, spec.failedJobsHistoryLimit ?? settings.defaultHistoryLimit),
        ]
        var actions: [GCAction] = []
        for (phase, limit) in limits {
            let finished = owned.filter { $0.status?.phase == phase }.sorted(by: newerFirst)
            for run in finished.dropFirst(max(0, limit)).reversed() {
                guard let name = run.metadata.name, let runUID = run.metadata.uid else { continue }
                actions.append(.deleteOMJob(DeleteOMJob(name: name, uid: runUID, reason: "HistoryLimit")))
            }
        }
        return GCCommand.list(actions, key: cron.metadata.key, uid: uid)
    }

    /// Newest completion first; creation time, then name, break ties so the order is total.
    private static func newerFirst(_ a: OMJob, _ b: OMJob) -> Bool {
        let ta = finishedAt(a)
        let tb = finishedAt(b)
        return ta != tb ? ta > tb : (a.metadata.name ?? "") > (b.metadata.name ?? "")
    }

    private static func finishedAt(_ run: OMJob) -> Date {
        (run.status?.completionTime ?? run.metadata.creationTimestamp).flatMap(KubeTime.parse) ?? .distantPast
    }
}
