import Foundation
import Shared

/// The decision being built: the desired status and the commands, kept in groups so that
/// `decision()` can put them in the one safe order:
/// pod deletions, pod creations (the latency that matters), the status patch, finalizer changes on
/// pods, the OMJob's finalizer change, events.
struct RunPlan {
    let omJob: OMJob
    let uid: String
    let now: Date
    let stamp: String
    /// The status as observed; `status` is compared with it to decide whether to write.
    let observedStatus: OMJobStatus
    var status: OMJobStatus
    /// A status patch to apply only if a fresh read confirms the main pod is gone.
    var confirmAbsent: ConfirmPodAbsent?
    /// The pod (as cached) whose unchanged state this decision's status rests on: an ending concluded
    /// from a deadline. Set, the status and events are written only if a fresh read finds the pod as
    /// seen, and pod creations wait for the next decision, which starts from the confirmed record.
    private(set) var restsOn: (pod: PodView, notReadyNode: String?)?
    private var podDeletions: [Command] = []
    private var podCreations: [Command] = []
    private var podFinalizers: [Command] = []
    private var omJobFinalizer: Command?
    private var events: [Command] = []
    private(set) var nextLook: Date?

    /// `observed` is the status as the decision must see it: the OMJob's status with its record
    /// applied (`OMJob.effectiveStatus`), and whatever the run's pods prove beyond it.
    init(omJob: OMJob, uid: String, now: Date, observed: OMJobStatus? = nil) {
        self.omJob = omJob
        self.uid = uid
        self.now = now
        self.stamp = KubeTime.format(now)
        self.observedStatus = observed ?? omJob.effectiveStatus
        self.status = observedStatus
    }

    var key: ObjectKey { omJob.metadata.key }
    var resourceVersion: String { omJob.metadata.resourceVersion ?? "" }

    /// Looks again no later than `date`.
    mutating func look(at date: Date?) {
        guard let date else { return }
        nextLook = min(nextLook ?? date, date)
    }

    private func command(_ id: String, _ action: CommandAction) -> Command {
        Command(id: "\(uid)/\(id)", key: key, omJobUID: uid, action: action)
    }

    mutating func createPod(_ pod: Pod, type: PodType, attempt: Int) {
        let name = pod.metadata.name ?? ""
        podCreations.append(command("create/\(name)", .createPod(CreatePod(pod: pod, podType: type, attempt: attempt))))
    }

    /// Stops the pod's containers; the operator's finalizer keeps the object and its logs.
    mutating func stopPod(_ pod: PodView) {
        let name = pod.metadata.name ?? ""
        podDeletions.append(command("stop/\(name)", .stopPod(DeletePod(name: name, uid: pod.metadata.uid))))
    }

    mutating func deletePod(_ pod: PodView) {
        let name = pod.metadata.name ?? ""
        podDeletions.append(command("delete/\(name)", .deletePod(DeletePod(name: name, uid: pod.metadata.uid))))
    }

    /// Deletes the pod only in the state the cache holds (resourceVersion precondition): for a pod
    /// judged stuck, which may have started or ended on its own since the cache last heard of it.
    mutating func deletePodAsSeen(_ pod: PodView) {
        let name = pod.metadata.name ?? ""
        let version = pod.metadata.resourceVersion ?? ""
        let delete = DeletePod(name: name, uid: pod.metadata.uid, resourceVersion: version.isEmpty ? nil : version)
        podDeletions.append(command("delete/\(name)@\(version)", .deletePod(delete)))
    }

    /// This decision's status rests on `pod` being unchanged (and `notReadyNode` still not Ready).
    mutating func requireUnchanged(_ pod: PodView, notReadyNode: String? = nil) {
        restsOn = (pod, notReadyNode)
    }

    mutating func addPodFinalizer(_ pod: PodView) {
        let name = pod.metadata.name ?? ""
        let change = FinalizerChange(
            target: .pod(name: name, uid: pod.metadata.uid), finalizer: OperatorLabels.finalizer,
            observed: ObservedFinalizers(pod.metadata))
        podFinalizers.append(command("finalizer-add/pod/\(name)", .addFinalizer(change)))
    }

    mutating func removePodFinalizer(_ pod: PodView) {
        let name = pod.metadata.name ?? ""
        let change = FinalizerChange(
            target: .pod(name: name, uid: pod.metadata.uid), finalizer: OperatorLabels.finalizer,
            observed: ObservedFinalizers(pod.metadata))
        podFinalizers.append(command("finalizer-remove/pod/\(name)", .removeFinalizer(change)))
    }

    mutating func addOMJobFinalizer() {
        let change = FinalizerChange(
            target: .omJob, finalizer: OperatorLabels.finalizer, observed: ObservedFinalizers(omJob.metadata))
        omJobFinalizer = command("finalizer-add/omjob", .addFinalizer(change))
    }

    mutating func removeOMJobFinalizer() {
        let change = FinalizerChange(
            target: .omJob, finalizer: OperatorLabels.finalizer, observed: ObservedFinalizers(omJob.metadata))
        omJobFinalizer = command("finalizer-remove/omjob", .removeFinalizer(change))
    }

    /// Records an Event on the OMJob; `instance` tells repeated occurrences apart (an attempt number).
    mutating func event(_ reason: RunEventReason, message: String, instance: String? = nil) {
        let id = "event/\(reason.rawValue)" + (instance.map { "/\($0)" } ?? "")
        let event = RunEvents.event(reason, message: message, omJob: omJob, id: "\(uid)/\(id)", now: stamp)
        events.append(command(id, .recordEvent(RecordEvent(event: event))))
    }

    /// `command` without the observed finalizers, so the executor reads the object before writing.
    private static func readingFirst(_ command: Command) -> Command {
        var command = command
        switch command.action {
        case .addFinalizer(var change):
            change.observed = nil
            command.action = .addFinalizer(change)
        case .removeFinalizer(var change):
            change.observed = nil
            command.action = .removeFinalizer(change)
        default: break
        }
        return command
    }

    /// The finished decision, commands in their safe order.
    func decision() -> RunDecision {
        let guarded = restsOn != nil && status != observedStatus && confirmAbsent == nil
        var commands = podDeletions + (guarded ? [] : podCreations)
        var written: OMJobStatus?
        var confirmed: OMJobStatus?
        if let confirmAbsent {
            let name = confirmAbsent.podName
            commands.append(command("confirm-absent/\(name)@\(resourceVersion)", .confirmPodAbsent(confirmAbsent)))
        } else if let restsOn, guarded {
            confirmed = statusToWrite
            commands.append(confirmUnchanged(restsOn.pod, notReadyNode: restsOn.notReadyNode, status: statusToWrite))
        } else if status != observedStatus {
            commands.append(command("status@\(resourceVersion)", .patchOMJobStatus(statusPatch(statusToWrite))))
            written = statusToWrite
        }
        commands += podFinalizers
        // A status write just before it changes the OMJob's resourceVersion: read first instead of conflicting.
        let statusWritten = written != nil || confirmed != nil || confirmAbsent != nil
        if let omJobFinalizer { commands.append(statusWritten ? Self.readingFirst(omJobFinalizer) : omJobFinalizer) }
        if !guarded { commands += events }
        // A lagging cache gets the confirmation refused, and the change that refused it may be slow to
        // arrive: look again after a while even if no event comes.
        let nextLook =
            guarded
            ? min(self.nextLook ?? .distantFuture, now.addingTimeInterval(Self.recheckAfterRefusal)) : self.nextLook
        var decision = RunDecision(commands: commands, status: written, nextLook: nextLook)
        // A guarded write counts only when it is made: the counters are added on `done`.
        if let changed = written ?? confirmed, let phase = changed.phase, phase != observedStatus.phase {
            decision.transition = PhaseTransition(from: observedStatus.phase, to: phase)
        }
        if observedStatus.mainPodTermination == nil {
            decision.recordedEnding = (written ?? confirmed)?.mainPodTermination
        }
        return decision
    }

    /// Longer than the watcher's ledger holds an answered command (so the look sends it again).
    /// A backstop only, for a watch that never brings the change: every state a fresh read can
    /// refuse on arrives through a watch and changes the confirmation's id or the decision, so
    /// the normal path never waits for it (`LaggingCacheTests`).
    static let recheckAfterRefusal: TimeInterval = 20

    /// The patch that writes `status`, with the record's annotations where they are needed
    /// (`RunRecord.annotationsToWrite`).
    func statusPatch(_ status: OMJobStatus) -> PatchOMJobStatus {
        PatchOMJobStatus(
            resourceVersion: resourceVersion, status: status,
            record: RunRecord(status: status).annotationsToWrite(for: omJob))
    }

    private var statusToWrite: OMJobStatus {
        var status = status
        status.observedGeneration = omJob.metadata.generation ?? status.observedGeneration
        return status
    }

    /// The status patch and its events, behind a fresh read of `pod`. The id names both versions
    /// it was decided from, so a newer pod or OMJob gives a new command.
    private func confirmUnchanged(_ pod: PodView, notReadyNode: String?, status: OMJobStatus) -> Command {
        let name = pod.metadata.name ?? ""
        let version = pod.metadata.resourceVersion ?? ""
        let recorded: [RecordEvent] = events.compactMap {
            if case .recordEvent(let record) = $0.action { record } else { nil }
        }
        let confirm = ConfirmPodUnchanged(
            podName: name, podUID: pod.metadata.uid, resourceVersion: version, notReadyNode: notReadyNode,
            thenPatch: statusPatch(status), thenEvents: recorded)
        return command("confirm-unchanged/\(name)@\(version)/status@\(resourceVersion)", .confirmPodUnchanged(confirm))
    }
}
