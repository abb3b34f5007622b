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
    private var podDeletions: [Command] = []
    private var podCreations: [Command] = []
    private var podFinalizers: [Command] = []
    private var omJobFinalizer: Command?
    private var events: [Command] = []
    private(set) var nextLook: Date?

    init(omJob: OMJob, uid: String, now: Date) {
        self.omJob = omJob
        self.uid = uid
        self.now = now
        self.stamp = KubeTime.format(now)
        self.observedStatus = omJob.status ?? OMJobStatus()
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

    mutating func addPodFinalizer(_ pod: PodView) {
        let name = pod.metadata.name ?? ""
        let change = FinalizerChange(target: .pod(name: name, uid: pod.metadata.uid), finalizer: OperatorLabels.finalizer)
        podFinalizers.append(command("finalizer-add/pod/\(name)", .addFinalizer(change)))
    }

    mutating func removePodFinalizer(_ pod: PodView) {
        let name = pod.metadata.name ?? ""
        let change = FinalizerChange(target: .pod(name: name, uid: pod.metadata.uid), finalizer: OperatorLabels.finalizer)
        podFinalizers.append(command("finalizer-remove/pod/\(name)", .removeFinalizer(change)))
    }

    mutating func addOMJobFinalizer() {
        let change = FinalizerChange(target: .omJob, finalizer: OperatorLabels.finalizer)
        omJobFinalizer = command("finalizer-add/omjob", .addFinalizer(change))
    }

    mutating func removeOMJobFinalizer() {
        let change = FinalizerChange(target: .omJob, finalizer: OperatorLabels.finalizer)
        omJobFinalizer = command("finalizer-remove/omjob", .removeFinalizer(change))
    }

    /// Records an Event on the OMJob; `instance` tells repeated occurrences apart (an attempt number).
    mutating func event(_ reason: RunEventReason, message: String, instance: String? = nil) {
        let id = "event/\(reason.rawValue)" + (instance.map { "/\($0)" } ?? "")
        let event = RunEvents.event(reason, message: message, omJob: omJob, id: "\(uid)/\(id)", now: stamp)
        events.append(command(id, .recordEvent(RecordEvent(event: event))))
    }

    /// The finished decision, commands in their safe order.
    func decision() -> RunDecision {
        var commands = podDeletions + podCreations
        var written: OMJobStatus?
        if let confirmAbsent {
            let name = confirmAbsent.podName
            commands.append(command("confirm-absent/\(name)@\(resourceVersion)", .confirmPodAbsent(confirmAbsent)))
        } else if status != observedStatus {
            var status = status
            status.observedGeneration = omJob.metadata.generation ?? status.observedGeneration
            let patch = PatchOMJobStatus(resourceVersion: resourceVersion, status: status)
            commands.append(command("status@\(resourceVersion)", .patchOMJobStatus(patch)))
            written = status
        }
        commands += podFinalizers
        if let omJobFinalizer { commands.append(omJobFinalizer) }
        commands += events
        var decision = RunDecision(commands: commands, status: written, nextLook: nextLook)
        if let written, let phase = written.phase, phase != observedStatus.phase {
            decision.transition = PhaseTransition(from: observedStatus.phase, to: phase)
        }
        if observedStatus.mainPodTermination == nil { decision.recordedEnding = written?.mainPodTermination }
        return decision
    }
}
