import Foundation
import Models

/// How the main pod is doing, read from the pod alone (plus its node and the clock).
enum MainPodReading: Equatable {
    /// The pod has ended; this is how, with the evidence.
    case ended(MainPodTermination)
    /// Still going; look again at `nextLook` (the earliest deadline that could end it), if any.
    case inProgress(MainPodProgress, nextLook: Date?)
}

/// Where a main pod that has not ended stands.
enum MainPodProgress: Equatable {
    /// Not started: scheduling, pulling, creating (`reason` is the waiting reason or Unschedulable).
    case notStarted(reason: String)
    /// The container runs (since `startedAt`, when known).
    case running(startedAt: Date?)

    /// The reasons every pod passes through on its way to running (created and not yet scheduled
    /// or reported, the kubelet pulling and creating, init containers running), as opposed to
    /// those that say why it may never start (Unschedulable, ImagePullBackOff, ErrImagePull,
    /// CreateContainerConfigError…).
    static let startingReasons: Set<String> = ["Pending", "ContainerCreating", "PodInitializing"]
}

/// Classifies the main pod's ending. First match wins, in the order of docs/architecture.md#decision-rules:
/// terminal phase, DisruptionTarget, pod `status.reason`, container terminated, deletion, node loss,
/// never started. (Disappearance is decided elsewhere: it needs a fresh read, not a pod.)
enum MainPodEnding {
    static let container = "main"

    /// `stamp` is `now` in wire form (computed once per decision).
    static func read(_ pod: PodView, node: NodeReadiness?, limits: RunLimits, now: Date, stamp: String)
        -> MainPodReading
    {
        if let ended = endedOnItsOwn(pod, now: stamp) { return .ended(ended) }
        var deadlines: [Date] = []

        // Deleted (by a user, a drain, the gc or the operator's own stop): the finalizer keeps the pod
        // until the kubelet reports the container's end; past the grace period plus slack, record without it.
        if let deletion = pod.metadata.deletionTimestamp.flatMap(KubeTime.parse) {
            let deadline = deletion.addingTimeInterval(limits.deletionReportSlack)
            if now >= deadline {
                return .ended(
                    MainPodTermination(
                        .deletion, reason: "PodDeleted",
                        message: "main pod was deleted and its end was not reported within the grace period",
                        containerMayStillRun: true, now: stamp))
            }
            deadlines.append(deadline)
        }
        // Node lost: the kubelet cannot report; the container may well still run, so say so.
        if case .notReady(let since, let status, let name) = node, pod.spec?.nodeName == name {
            let deadline = since.addingTimeInterval(limits.nodeLostThreshold)
            if now >= deadline {
                return .ended(
                    MainPodTermination(
                        .nodeLost, reason: "NodeLost",
                        message:
                            "node \(name) has been Ready=\(status) since \(KubeTime.format(since)); the container may still be running: the main pod is deleted so that its node stops it if it returns",
                        containerMayStillRun: true, now: stamp))
            }
            deadlines.append(deadline)
        }
        if case .unreachable(let since, let name) = node, pod.spec?.nodeName == name {
            let deadline = since.addingTimeInterval(limits.nodeLostThreshold)
            if now >= deadline {
                return .ended(
                    MainPodTermination(
                        .nodeLost, reason: "NodeLost",
                        message:
                            "main pod has been marked not Ready by the node controller since \(KubeTime.format(since)) (node \(name) stopped reporting); the container may still be running: the main pod is deleted so that its node stops it if it returns",
                        containerMayStillRun: true, now: stamp))
            }
            deadlines.append(deadline)
        }
        let progress = progress(of: pod)
        // Never started: past the start deadline, waiting any longer will not help.
        if case .notStarted(let reason) = progress {
            let created = pod.metadata.creationTimestamp.flatMap(KubeTime.parse) ?? now
            let deadline = created.addingTimeInterval(limits.mainPodStartDeadline)
            if now >= deadline {
                return .ended(
                    MainPodTermination(
                        .neverStarted, reason: "NeverStarted/\(reason)",
                        message: waitingMessage(pod)
                            ?? "main pod did not start within \(Int(limits.mainPodStartDeadline))s",
                        now: stamp))
            }
            deadlines.append(deadline)
        }
        return .inProgress(progress, nextLook: deadlines.min())
    }

    /// The endings the pod reports itself (it is terminal, or its container has terminated).
    static func endedOnItsOwn(_ pod: PodView, now: String) -> MainPodTermination? {
        let status = pod.containerStatus(named: container)
        let terminated = status?.state?.terminated
        let phase = pod.status?.phase
        guard phase == "Succeeded" || phase == "Failed" || terminated != nil else { return nil }
        let evidence = terminated ?? status?.lastState?.terminated

        // Succeeded: every container exited 0.
        if phase == "Succeeded" {
            return MainPodTermination(
                .podPhase, reason: "Completed", message: evidence?.message,
                terminated: evidence ?? ContainerStateTerminated(exitCode: 0), now: now)
        }
        // DisruptionTarget: Kubernetes says why it ended the pod (eviction, preemption, taint, GC, kubelet).
        if let disruption = pod.condition("DisruptionTarget"), disruption.status == "True" {
            return MainPodTermination(
                .disruptionTarget, reason: disruption.reason ?? "DisruptionTarget",
                message: disruption.message ?? pod.status?.message, terminated: evidence, now: now)
        }
        // Pod-level reason: the kubelet failed the pod as a whole (Evicted, DeadlineExceeded, Shutdown, NodeLost…).
        if let reason = pod.status?.reason, !reason.isEmpty {
            return MainPodTermination(
                .podReason, reason: reason, message: pod.status?.message, terminated: evidence, now: now)
        }
        // The container's own end: runtime reason (Error, OOMKilled, ContainerCannotRun…), exit code, signal.
        if let evidence {
            let reason = evidence.reason ?? (evidence.exitCode == 0 ? "Completed" : "Error")
            return MainPodTermination(
                .containerTerminated, reason: reason,
                message: evidence.message ?? exitMessage(evidence), terminated: evidence, now: now)
        }
        // Failed with no evidence at all.
        return MainPodTermination(
            .podPhase, reason: "Failed", message: pod.status?.message ?? "main pod failed without a reported reason",
            now: now)
    }

    /// Started or not, and the reason it has not.
    static func progress(of pod: PodView) -> MainPodProgress {
        let state = pod.containerStatus(named: container)?.state
        if let running = state?.running { return .running(startedAt: running.startedAt.flatMap(KubeTime.parse)) }
        if let waiting = state?.waiting?.reason { return .notStarted(reason: waiting) }
        if let scheduled = pod.condition("PodScheduled"), scheduled.status == "False" {
            return .notStarted(reason: scheduled.reason ?? "Unschedulable")
        }
        if pod.status?.phase == "Running" { return .running(startedAt: pod.status?.startTime.flatMap(KubeTime.parse)) }
        return .notStarted(reason: "Pending")
    }

    private static func waitingMessage(_ pod: PodView) -> String? {
        if let message = pod.containerStatus(named: container)?.state?.waiting?.message { return message }
        return pod.condition("PodScheduled")?.message
    }

    private static func exitMessage(_ terminated: ContainerStateTerminated) -> String {
        if let signal = MainPodTermination.signal(of: terminated) {
            return "exit code \(terminated.exitCode) (signal \(signal))"
        }
        return "exit code \(terminated.exitCode)"
    }
}
