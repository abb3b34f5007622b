import BrokerProtocol
import Foundation
import Models

/// One pass of the gc over everything its informers hold: TTL cleanup of every OMJob, history
/// limits of every CronOMJob, and the stale-finalizer report. Pure; the gc's driver runs it on
/// every change and at `wakeAt`, performs the commands (each object's list in order, stopping at
/// the first failure), and exports `staleFinalizers` as the `omjob_stale_finalizers` gauge.
public struct GCSweep: Hashable, Sendable {
    /// Every write, grouped per object in the order it must happen.
    public var commands: [Command]
    /// The earliest instant still ahead at which a decision changes without an API change (a TTL
    /// expiry, a finalizer becoming stale); nil when none is.
    public var wakeAt: Date?
    /// How many OMJobs are in each TTL state (for metrics and logs).
    public var states: [TTLCleanup.State: Int]
    /// Stale operator finalizers found.
    public var staleFinalizers: [StaleFinalizer]

    /// Decides for a snapshot of the cache. `pods` are those labelled with an OMJob name; each
    /// is matched to its OMJob by owner UID.
    public static func decide(omJobs: [OMJob], crons: [CronOMJob], pods: [PodView], now: Date, settings: GCSettings)
        -> GCSweep
    {
        var podsByOwner: [String: [PodView]] = [:]
        podsByOwner.reserveCapacity(omJobs.count)
        var owners: [String] = []
        for pod in pods {
            // Each owner once: the controller's UID and the uid label are usually the same.
            owners.removeAll(keepingCapacity: true)
            for reference in pod.metadata.ownerReferences ?? [] where reference.controller == true {
                if !owners.contains(reference.uid) { owners.append(reference.uid) }
            }
            if let labelled = pod.metadata.labels?[OperatorLabels.omJobUID], !owners.contains(labelled) {
                owners.append(labelled)
            }
            for uid in owners { podsByOwner[uid, default: []].append(pod) }
        }
        var sweep = GCSweep(commands: [], wakeAt: nil, states: [:], staleFinalizers: [])
        // Sorted by index: sorting the OMJobs themselves copied whole objects on every comparison.
        let keys = omJobs.map(\.metadata.key)
        for index in keys.indices.sorted(by: { keys[$0] < keys[$1] }) {
            let outcome = TTLCleanup.decide(
                omJob: omJobs[index], pods: podsByOwner[omJobs[index].metadata.uid ?? ""] ?? [], now: now,
                settings: settings)
            sweep.commands += outcome.commands
            sweep.states[outcome.state, default: 0] += 1
            if let wake = outcome.wakeAt { sweep.wakeAt = min(sweep.wakeAt ?? wake, wake) }
        }
        // Grouping copies every OMJob: only done when there is a CronOMJob to read them.
        let runsByNamespace = crons.isEmpty ? [:] : Dictionary(grouping: omJobs) { $0.metadata.namespace ?? "" }
        for cron in crons.sorted(by: { $0.metadata.key < $1.metadata.key }) {
            sweep.commands += HistoryLimits.decide(
                cron: cron, runs: runsByNamespace[cron.metadata.namespace ?? ""] ?? [], settings: settings)
        }
        let report = StaleFinalizerReport.report(omJobs: omJobs, pods: pods, now: now, settings: settings)
        sweep.staleFinalizers = report.stale
        if let due = report.nextDue { sweep.wakeAt = min(sweep.wakeAt ?? due, due) }
        sweep.commands += StaleFinalizerReport.commands(for: sweep.staleFinalizers, now: now)
        return sweep
    }
}
