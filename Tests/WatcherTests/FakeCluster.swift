import BrokerProtocol
import Foundation
import KubeJSON
import Models
import Testing

@testable import Watcher

/// An in-memory API server just faithful enough to run the decision in a loop: it applies commands
/// the way the executor and the API server would (AlreadyExists, resourceVersion conflicts, finalizers
/// holding deleted objects, merge patches), and counts the writes that succeeded.
struct FakeCluster {
    var omJob: OMJob?
    var pods: [String: Pod] = [:]
    var events: [Event] = []
    var now: Date
    var node: NodeReadiness?
    /// The status fields the OMJob CRD declares: the API server prunes every other one.
    var schema = StatusSchema.project
    private(set) var writes: [String] = []
    private var version = 1000
    private var podCounter = 0

    init(omJob: OMJob, now: Date) {
        self.omJob = omJob
        self.now = now
    }

    /// Runs decide → apply until the decision has nothing left to do; returns the decisions' commands.
    @discardableResult
    mutating func settle(settings: RunSettings = RunSettings()) -> [Command] {
        var all: [Command] = []
        for _ in 0..<30 {
            guard omJob != nil else { return all }
            let (commands, changed) = step(settings: settings)
            all += commands
            if !changed { return all }
        }
        Issue.record("the decision did not settle: \(all.suffix(5).map(\.id))")
        return all
    }

    /// One decision, its commands applied: the commands, and whether any of them changed something.
    @discardableResult
    mutating func step(settings: RunSettings = RunSettings()) -> (commands: [Command], changed: Bool) {
        guard let omJob else { return ([], false) }
        // The decision sees what the watcher's informers keep: pod views, and a finished run without its templates.
        let views = pods.values.map(PodView.init)
        // As the watcher's cache does: the node as set here, else what the main pod says of it.
        let mainPodNode = node ?? RunObservation.mainPodNode(omJob: omJob, pods: views, nodes: { _ in nil })
        let decision = RunDecider.decide(
            RunObservation(omJob: omJob.withoutPodTemplatesIfFinished(), pods: views, mainPodNode: mainPodNode),
            now: now, settings: settings)
        let applied = decision.commands.filter { apply($0) }
        return (decision.commands, !applied.isEmpty)
    }

    private mutating func bump() -> String {
        version += 1
        return String(version)
    }

    /// Applies one command; false when it changed nothing (duplicate, conflict, already done).
    mutating func apply(_ command: Command) -> Bool {
        let changed: Bool
        switch command.action {
        case .createPod(let create): changed = createPod(create.pod)
        case .patchOMJobStatus(let patch): changed = patchStatus(patch)
        case .addFinalizer(let change): changed = setFinalizer(change, present: true)
        case .removeFinalizer(let change): changed = setFinalizer(change, present: false)
        case .stopPod(let delete), .deletePod(let delete):
            changed = deletePod(delete.name, asOf: delete.resourceVersion)
        case .recordEvent(let record):
            changed = !events.contains { $0.metadata.name == record.event.metadata.name }
            if changed { events.append(record.event) }
        case .confirmPodAbsent(let confirm):
            changed = pods[confirm.podName] == nil && patchStatus(confirm.thenPatch)
        case .confirmPodUnchanged(let confirm):
            changed = isUnchanged(confirm) && patchStatus(confirm.thenPatch)
            if changed {
                events += confirm.thenEvents.map(\.event).filter { new in
                    !events.contains { $0.metadata.name == new.metadata.name }
                }
            }
        case .createOMJob, .deleteOMJob, .patchCronOMJobStatus:
            Issue.record("a run's decision asked for \(command.action.type)")
            changed = false
        }
        if changed {
            // The record's annotations are a request of their own before the status (see `RunRecord`).
            if command.action.statusPatch?.record != nil { writes.append("patchOMJobRecord") }
            writes.append(command.action.type)
        }
        return changed
    }

    /// The executor's fresh read: the pod as the decision saw it, and a lost node still not Ready.
    private func isUnchanged(_ confirm: ConfirmPodUnchanged) -> Bool {
        guard let pod = pods[confirm.podName], confirm.podUID == nil || pod.metadata.uid == confirm.podUID,
            pod.metadata.resourceVersion == confirm.resourceVersion
        else { return false }
        if confirm.notReadyNode != nil, case .ready? = node { return false }
        return true
    }

    private mutating func createPod(_ body: PodBody) -> Bool {
        guard var pod = try? body.decoded(), let name = pod.metadata.name, pods[name] == nil else { return false }
        podCounter += 1
        pod.metadata.uid = "pod-uid-\(podCounter)"
        pod.metadata.resourceVersion = bump()
        pod.metadata.creationTimestamp = KubeTime.format(now)
        pod.status = PodStatus(phase: "Pending")
        pods[name] = pod
        return true
    }

    /// As the executor does it: the record's annotations, then the status (pruned as `schema` says).
    private mutating func patchStatus(_ patch: PatchOMJobStatus) -> Bool {
        guard var job = omJob, job.metadata.resourceVersion == patch.resourceVersion else { return false }
        if let record = patch.record {
            job.metadata.annotations = (job.metadata.annotations ?? [:]).merging(record) { $1 }
        }
        job.status = schema.prune(mergeStatus(job.status, patch.status))
        job.metadata.resourceVersion = bump()
        omJob = job
        return true
    }

    /// RFC 7386 on the encoded forms: members present in the patch replace, absent ones stay.
    private func mergeStatus(_ old: OMJobStatus?, _ patch: OMJobStatus) -> OMJobStatus {
        guard let old, case .object(var merged) = try? JSONValue.encoded(from: old),
            case .object(let members) = try? JSONValue.encoded(from: patch)
        else { return patch }
        for (key, value) in members { merged[key] = value }
        let data = try! JSONEncoder().encode(JSONValue.object(merged))
        return try! JSONDecoder().decode(OMJobStatus.self, from: data)
    }

    private mutating func setFinalizer(_ change: FinalizerChange, present: Bool) -> Bool {
        switch change.target {
        case .omJob:
            guard var job = omJob else { return false }
            guard edit(&job.metadata, change.finalizer, present: present) else { return false }
            job.metadata.resourceVersion = bump()
            omJob = finalize(job.metadata) ? nil : job
        case .pod(let name, let uid):
            guard var pod = pods[name], uid == nil || pod.metadata.uid == uid else { return false }
            guard edit(&pod.metadata, change.finalizer, present: present) else { return false }
            pod.metadata.resourceVersion = bump()
            pods[name] = finalize(pod.metadata) ? nil : pod
        }
        return true
    }

    private func edit(_ metadata: inout ObjectMeta, _ finalizer: String, present: Bool) -> Bool {
        var list = metadata.finalizers ?? []
        guard list.contains(finalizer) != present else { return false }
        if present {
            guard !metadata.isBeingDeleted else { return false }
            list.append(finalizer)
        } else {
            list.removeAll { $0 == finalizer }
        }
        metadata.finalizers = list.isEmpty ? nil : list
        return true
    }

    private func finalize(_ metadata: ObjectMeta) -> Bool {
        metadata.isBeingDeleted && (metadata.finalizers ?? []).isEmpty
    }

    /// DELETE: gone at once without finalizers, else marked with deletionTimestamp = now + grace
    /// and the grace in deletionGracePeriodSeconds.
    /// `asOf`: the resourceVersion precondition, when the command carries one.
    mutating func deletePod(_ name: String, grace: TimeInterval = 30, asOf version: String? = nil) -> Bool {
        guard var pod = pods[name], !pod.metadata.isBeingDeleted else { return false }
        if let version, pod.metadata.resourceVersion != version { return false }
        if pod.metadata.finalizers?.isEmpty ?? true {
            pods[name] = nil
        } else {
            pod.metadata.deletionTimestamp = KubeTime.format(now.addingTimeInterval(grace))
            pod.metadata.deletionGracePeriodSeconds = Int64(grace)
            pod.metadata.resourceVersion = bump()
            pods[name] = pod
        }
        return true
    }

    /// A user (OpenMetadata) deletes the OMJob.
    mutating func deleteOMJob() {
        guard var job = omJob else { return }
        if job.metadata.finalizers?.isEmpty ?? true {
            omJob = nil
            return
        }
        job.metadata.deletionTimestamp = KubeTime.format(now)
        job.metadata.resourceVersion = bump()
        omJob = job
    }

    // MARK: the kubelet

    /// Sets a pod's status as the kubelet would report it.
    mutating func report(_ name: String, _ status: PodStatus?, nodeName: String? = "worker-1") {
        guard var pod = pods[name] else { return }
        pod.status = status
        pod.spec?.nodeName = nodeName
        pod.metadata.resourceVersion = bump()
        pods[name] = pod
    }

    /// The pod is scheduled and its container waits for `reason` (ContainerCreating, ImagePullBackOff…).
    mutating func wait(_ name: String, _ reason: String) {
        report(
            name, PodStatus(phase: "Pending", container: ContainerState(waiting: ContainerStateWaiting(reason: reason)))
        )
    }

    mutating func run(_ name: String) {
        report(
            name,
            PodStatus(
                phase: "Running",
                container: ContainerState(running: ContainerStateRunning(startedAt: KubeTime.format(now)))))
    }

    mutating func exit(_ name: String, code: Int, reason: String? = nil) {
        let terminated = ContainerStateTerminated(
            exitCode: code, reason: reason ?? (code == 0 ? "Completed" : "Error"),
            startedAt: KubeTime.format(now), finishedAt: KubeTime.format(now))
        report(
            name,
            PodStatus(phase: code == 0 ? "Succeeded" : "Failed", container: ContainerState(terminated: terminated)))
    }

    var exitPods: [Pod] { pods.values.filter { $0.metadata.labels?[OperatorLabels.podType] == "exit-handler" } }
    var mainPod: Pod? { pods.values.first { $0.metadata.labels?[OperatorLabels.podType] == "main" } }
}

extension PodStatus {
    init(phase: String, container: ContainerState) {
        self.init(phase: phase)
        containerStatuses = [ContainerStatus(name: "main", state: container)]
    }
}

/// Which OMJob CRD the fake API server holds.
enum StatusSchema: String, CaseIterable, Sendable {
    /// deploy/crds: every status field the operator writes.
    case project
    /// OpenMetadata's chart: only the Java operator's seven status fields (Tests/Fixtures/openmetadata-chart).
    case openMetadataChart

    func prune(_ status: OMJobStatus) -> OMJobStatus {
        guard self == .openMetadataChart else { return status }
        var kept = OMJobStatus(phase: status.phase)
        kept.mainPodName = status.mainPodName
        kept.exitHandlerPodName = status.exitHandlerPodName
        kept.startTime = status.startTime
        kept.completionTime = status.completionTime
        kept.message = status.message
        kept.mainPodExitCode = status.mainPodExitCode
        return kept
    }
}

extension CommandAction {
    /// The status patch this command writes, directly or after a fresh read.
    var statusPatch: PatchOMJobStatus? {
        switch self {
        case .patchOMJobStatus(let patch): patch
        case .confirmPodAbsent(let confirm): confirm.thenPatch
        case .confirmPodUnchanged(let confirm): confirm.thenPatch
        default: nil
        }
    }
}
