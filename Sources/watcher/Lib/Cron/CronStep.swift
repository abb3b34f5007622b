import Foundation
import Shared

/// One run of the CronOMJob decision in progress: the status being computed and the commands
/// gathered so far. `CronScheduler` drives it; each method handles one concern.
struct CronStep {
    let cron: CronOMJob
    let uid: String
    let now: Date
    var status: CronOMJobStatus
    private(set) var writes: [CronCommandAction] = []
    private(set) var events: [CronCommandAction] = []

    init(cron: CronOMJob, uid: String, now: Date) {
        self.cron = cron
        self.uid = uid
        self.now = now
        status = cron.status ?? CronOMJobStatus()
        status.observedGeneration = cron.metadata.generation
    }

    var nowSeconds: Int64 { Int64(now.timeIntervalSince1970.rounded(.down)) }

    /// Slots are counted after the last one scheduled, or after creation for a new CronOMJob.
    var earliest: Int64 {
        let text = cron.status?.lastScheduleTime ?? cron.metadata.creationTimestamp
        return text.flatMap(KubeTime.parse).map { Int64($0.timeIntervalSince1970) } ?? nowSeconds
    }

    /// `active` and `lastSuccessfulTime` follow the runs as observed.
    mutating func recordHistory(_ history: CronRunHistory) {
        var active = history.activeReferences
        // The run created last may not be in the informer's cache yet: keep listing it rather
        // than write the status twice (without it, then with it) for every slot.
        if let last = status.lastOMJobName, !history.contains(name: last),
            let pending = status.active?.first(where: { $0.name == last })
        {
            active.append(pending)
        }
        status.active = active
        let previous = status.lastSuccessfulTime.flatMap(KubeTime.parse)
        if let latest = history.lastSuccessfulCompletion, previous.map({ latest > $0 }) ?? true {
            status.lastSuccessfulTime = KubeTime.format(latest)
        }
    }

    /// An unusable schedule: say so in the status, and warn once per generation (an edit bumps
    /// the generation, and the decision runs again on the edit).
    mutating func reportInvalid(_ error: CronScheduleError) {
        let message = "Cannot schedule: \(error)"
        let generation = cron.metadata.generation.map(String.init) ?? "0"
        status.message = message
        event(.invalidSchedule, about: "generation-\(generation)", message: message)
    }

    /// Runs the due slot, or records why not.
    mutating func apply(_ plan: CronSlotPlan, spec: CronOMJobSpec, history: CronRunHistory, runID: String) {
        if plan.tooManyMissed, let due = plan.due {
            event(
                .tooManyMissed, about: "\(due)",
                message:
                    "More than the threshold of slots were missed since \(KubeTime.format(Date(timeIntervalSince1970: TimeInterval(earliest)))); only the latest, \(Self.format(due)), runs."
            )
        }
        guard let due = plan.due else {
            if let missed = plan.missedPastDeadline { recordMissed(missed, deadline: spec.startingDeadline ?? 0) }
            return
        }
        let name = CronRunName.forSlot(cronName: cron.metadata.name ?? "", slot: due)
        // Created before (possibly before a restart, or the status write was lost): nothing to do.
        guard !history.contains(name: name) else { return }
        let running = history.active.filter { !$0.metadata.isBeingDeleted }
        switch spec.concurrencyPolicy ?? .allow {
        case .forbid where !history.active.isEmpty:
            let names = history.active.compactMap(\.metadata.name).joined(separator: ", ")
            let message = "Slot \(Self.format(due)) waits: \(names) still running (concurrencyPolicy Forbid)."
            status.message = message
            event(.alreadyActive, about: "\(due)", message: message)
            return
        case .replace:
            for run in running { replace(run, slot: due) }
        default:
            break
        }
        create(CronRunBuilder.run(of: cron, spec: spec, slot: due, runID: runID), slot: due)
    }

    private mutating func replace(_ run: OMJob, slot: Int64) {
        guard let name = run.metadata.name, let uid = run.metadata.uid else { return }
        writes.append(.deleteOMJob(DeleteOMJob(name: name, uid: uid, reason: "Replace")))
        event(
            .replaced, about: "\(slot)/\(name)",
            message:
                "Deleted active run \(name) to start the run of \(Self.format(slot)) (concurrencyPolicy Replace); its exit handler still runs."
        )
    }

    private mutating func create(_ run: OMJob, slot: Int64) {
        let name = run.metadata.name ?? ""
        writes.append(.createOMJob(CreateOMJob(omJob: run)))
        status.lastScheduleTime = Self.format(slot)
        status.lastOMJobName = name
        status.message = ""
        var active = status.active ?? []
        active.append(
            ObjectReference(
                apiVersion: OMJob.resourceType.apiVersion, kind: OMJob.resourceType.kind,
                namespace: run.metadata.namespace, name: name))
        status.active = active
        event(.created, about: "\(slot)", message: "Created run \(name) for \(Self.format(slot)).")
    }

    private mutating func recordMissed(_ slot: Int64, deadline: Int) {
        let message =
            "Slot \(Self.format(slot)) was missed by more than startingDeadlineSeconds (\(deadline)s) and is skipped."
        status.message = message
        event(.missedSchedule, about: "\(slot)", message: message)
    }

    private mutating func event(_ reason: CronEventReason, about subject: String, message: String) {
        events.append(
            .recordEvent(
                RecordEvent(event: CronEvents.event(reason, about: subject, message: message, cron: cron, now: now))))
    }

    /// The commands in order: run writes, then the status (only if it changed), then events.
    /// Every event goes with a status change (a new lastScheduleTime, message or generation), so
    /// a decision that changes nothing sends nothing: no writes in steady state.
    func finish(wakeAt: Date?) -> CronDecision {
        var actions = writes
        if status != cron.status {
            actions.append(
                .patchCronOMJobStatus(
                    PatchCronOMJobStatus(resourceVersion: cron.metadata.resourceVersion ?? "", status: status)))
            actions += events
        }
        let key = cron.metadata.key
        let commands = actions.map { action in
            CronCommand(id: "\(uid)/\(Self.commandSubject(action))", key: key, cronUID: uid, action: action)
        }
        return CronDecision(commands: commands, wakeAt: wakeAt)
    }

    private static func commandSubject(_ action: CronCommandAction) -> String {
        switch action {
        case .createOMJob(let p): "create/\(p.omJob.metadata.name ?? "")"
        case .deleteOMJob(let p): "delete/\(p.name)/\(p.uid)"
        case .patchCronOMJobStatus(let p): "status/\(p.resourceVersion)/\(PodNaming.hash(String(describing: p.status)))"
        case .recordEvent(let p): "event/\(p.event.metadata.name ?? "")"
        }
    }

    static func format(_ slot: Int64) -> String { KubeTime.format(Date(timeIntervalSince1970: TimeInterval(slot))) }
}
