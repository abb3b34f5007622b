import BrokerProtocol
import Foundation
import KubeJSON
import Models

@testable import Watcher

/// Builds the observed state of one run for decision tests, starting from OpenMetadata's own OMJob.
struct RunScenario {
    var omJob: OMJob
    var pods: [Pod] = []
    var node: NodeReadiness?
    var now = T.at("2025-01-09T16:00:00Z")
    var settings = RunSettings()

    /// OpenMetadata's OMJob, guarded by the operator's finalizer unless `guarded` is false.
    init(guarded: Bool = true) throws {
        omJob = try Fixtures.openMetadataOMJob()
        if guarded { omJob.metadata.finalizers = [OperatorLabels.finalizer] }
    }

    var uid: String { omJob.metadata.uid! }
    var name: String { omJob.metadata.name! }

    func decide() -> RunDecision {
        // The decision sees what the watcher's informers keep: pod views, and a finished run without its templates.
        RunDecider.decide(
            RunObservation(
                omJob: omJob.withoutPodTemplatesIfFinished(), pods: pods.map(PodView.init), mainPodNode: node),
            now: now, settings: settings)
    }

    /// The main pod the operator builds, as the API server would return it with `fixture`'s status
    /// (a file of Fixtures/main-pod).
    func mainPod(_ fixture: String) throws -> Pod {
        let shaped = try Fixtures.decode(MainPodFixture.self, "main-pod", fixture).pod
        var pod = PodBuilder.mainPod(omJob: omJob, spec: omJob.spec!.mainPodSpec!)
        pod.metadata.uid = "main-pod-uid"
        pod.metadata.resourceVersion = "2000"
        pod.metadata.creationTimestamp = shaped.metadata.creationTimestamp
        pod.metadata.deletionTimestamp = shaped.metadata.deletionTimestamp
        pod.spec?.nodeName = shaped.spec?.nodeName
        pod.status = shaped.status
        return pod
    }

    /// Exit-handler pod `attempt` as built by the operator, with a container state.
    func exitPod(attempt: Int, exitCode: Int?, waiting: String? = nil, created: String = "2025-01-09T15:50:00Z") -> Pod
    {
        let ending =
            omJob.status?.mainPodTermination ?? MainPodTermination(reason: "Completed", exitCode: 0, source: "PodPhase")
        var pod = PodBuilder.exitPod(
            omJob: omJob, spec: omJob.spec!, exitSpec: omJob.spec!.exitHandlerSpec!,
            mainPodName: PodNaming.mainPodName(omJob: name), ending: ending, attempt: attempt, owned: true)
        pod.metadata.uid = "exit-pod-uid-\(attempt)"
        pod.metadata.resourceVersion = "300\(attempt)"
        pod.metadata.creationTimestamp = created
        var status = PodStatus(phase: "Running")
        if let exitCode {
            status.phase = exitCode == 0 ? "Succeeded" : "Failed"
            status.containerStatuses = [
                ContainerStatus(
                    name: "main",
                    state: ContainerState(
                        terminated: ContainerStateTerminated(
                            exitCode: exitCode, reason: exitCode == 0 ? "Completed" : "Error",
                            startedAt: "2025-01-09T15:50:02Z", finishedAt: "2025-01-09T15:51:00Z")))
            ]
        } else if let waiting {
            status.phase = "Pending"
            status.containerStatuses = [
                ContainerStatus(name: "main", state: ContainerState(waiting: ContainerStateWaiting(reason: waiting)))
            ]
        } else {
            status.containerStatuses = [
                ContainerStatus(
                    name: "main",
                    state: ContainerState(running: ContainerStateRunning(startedAt: "2025-01-09T15:50:02Z")))
            ]
        }
        pod.status = status
        return pod
    }

    /// The OMJob after the API server applied `status` (a confirmed guarded write, or a plain one).
    mutating func write(_ status: OMJobStatus?) {
        omJob.status = status
        omJob.metadata.resourceVersion = String((Int(omJob.metadata.resourceVersion ?? "") ?? 1000) + 1)
    }

    /// A status in which the main pod was seen and ended as `ending`, exit attempt `attempts` started.
    mutating func recordEnding(_ ending: MainPodTermination, attempts: Int) {
        var status = OMJobStatus()
        status.observeMainPod(
            name: PodNaming.mainPodName(omJob: name), progress: .running(startedAt: nil), now: "2025-01-09T15:30:00Z")
        status.recordMainEnding(ending, now: "2025-01-09T15:45:00Z")
        if attempts > 0 {
            status.startExitAttempt(attempts, podName: PodNaming.exitPodName(omJob: name, attempt: attempts))
        }
        status.observedGeneration = omJob.metadata.generation
        omJob.status = status
    }
}

extension RunDecision {
    var types: [String] { commands.map(\.action.type) }

    var createdPods: [Pod] {
        commands.compactMap {
            if case .createPod(let c) = $0.action { return try? c.pod.decoded() } else { return nil }
        }
    }

    var events: [Event] {
        commands.compactMap { if case .recordEvent(let e) = $0.action { return e.event } else { return nil } }
    }

    func finalizerChanges(adding: Bool) -> [CommandTarget] {
        commands.compactMap {
            switch $0.action {
            case .addFinalizer(let c) where adding: return c.target
            case .removeFinalizer(let c) where !adding: return c.target
            default: return nil
            }
        }
    }

    var deletedPods: [String] {
        commands.compactMap { if case .deletePod(let d) = $0.action { return d.name } else { return nil } }
    }

    /// The command carrying the fresh-read guard of a decision whose status rests on a deadline, if it has one.
    var confirmationCommand: Command? {
        commands.first { if case .confirmPodUnchanged = $0.action { true } else { false } }
    }

    /// That guard's payload.
    var confirmation: ConfirmPodUnchanged? {
        if case .confirmPodUnchanged(let c) = confirmationCommand?.action { c } else { nil }
    }

    /// Deleted pods with the resourceVersion each deletion is conditioned on (nil: unconditional).
    var deletions: [DeletePod] {
        commands.compactMap { if case .deletePod(let d) = $0.action { return d } else { return nil } }
    }

    var stoppedPods: [String] {
        commands.compactMap { if case .stopPod(let d) = $0.action { return d.name } else { return nil } }
    }
}

extension Pod {
    /// The value of environment variable `name` of the `main` container.
    func env(_ name: String) -> String? {
        spec?.containers.first?.env?.first { $0.name == name }?.value
    }
}
