import Foundation
import KubeAPI
import KubeJSON
import Models
import UVLoop

/// The kubelet's part on a control plane with no node, and the benchmark's eyes: one watch of
/// a namespace's pods. Each new pod is reported Running through `pods/status` at once and, after
/// its run time, terminated with exit code 0, as a kubelet reports a container it ran. The same
/// watch times each run for `recorder`, as a kubelet or any other client sees the server:
/// the main pod's terminal status arriving, then the exit pod's ADDED. With `omJobs`, a run
/// finishes when its OMJob turns Succeeded or Failed (a second watch); without, when its exit
/// pod turns terminal (the floor has no OMJob).
public final class KubeletStandIn: Sendable {
    private let loop: LoopThread
    private let tasks: [Task<Void, Never>]

    /// Starts watching `namespace`; main pods run `mainSeconds`, exit pods `exitSeconds`.
    public init(
        server: ControlPlaneServer, namespace: String, recorder: RunRecorder, mainSeconds: Double,
        exitSeconds: Double, omJobs: Bool
    ) throws {
        let (client, loop) = try server.client()
        self.loop = loop
        var tasks = [
            Task {
                await Self.watch(PodView.self, client: client, namespace: namespace) { event in
                    Self.pod(
                        event, client: client, recorder: recorder, mainSeconds: mainSeconds, exitSeconds: exitSeconds,
                        finishOnExitPod: !omJobs)
                }
            }
        ]
        if omJobs {
            tasks.append(
                Task {
                    await Self.watch(OMJob.self, client: client, namespace: namespace) { event in
                        if case .modified(let omJob) = event, omJob.status?.phase?.isFinished == true,
                            let name = omJob.metadata.name
                        {
                            recorder.finish(name)
                        }
                    }
                })
        }
        self.tasks = tasks
    }

    /// Stops both watches and the client's loop.
    public func stop() async {
        for task in tasks { task.cancel() }
        for task in tasks { await task.value }
        loop.stopAndWait()
    }

    /// Watches until cancelled, resuming after the server ends a watch.
    private static func watch<Object: KubernetesObject>(
        _ type: Object.Type, client: KubeClient, namespace: String, _ handle: (WatchEvent<Object>) -> Void
    ) async {
        var version: String?
        while !Task.isCancelled {
            do {
                let options = WatchOptions(resourceVersion: version, allowWatchBookmarks: true)
                for try await event in try await client.watch(Object.self, namespace: namespace, options: options) {
                    switch event {
                    case .added(let object), .modified(let object), .deleted(let object):
                        version = object.metadata.resourceVersion ?? version
                    case .bookmark(let resourceVersion): version = resourceVersion
                    case .error: version = nil
                    }
                    handle(event)
                }
            } catch {
                if Task.isCancelled { return }
                try? await Task.sleep(for: .milliseconds(100))
            }
        }
    }

    private static func pod(
        _ event: WatchEvent<PodView>, client: KubeClient, recorder: RunRecorder, mainSeconds: Double,
        exitSeconds: Double, finishOnExitPod: Bool
    ) {
        let added: Bool
        let pod: PodView
        switch event {
        case .added(let object):
            added = true
            pod = object
        case .modified(let object):
            added = false
            pod = object
        default: return
        }
        guard let labels = pod.metadata.labels, let run = labels[RunRecorder.nameLabel],
            let type = labels[RunRecorder.podTypeLabel], let name = pod.metadata.name
        else { return }
        let terminal = pod.status?.phase == "Succeeded" || pod.status?.phase == "Failed"
        recorder.observePod(run: run, type: type, added: added, deleted: false, terminal: terminal)
        if terminal, type == "exit-handler", finishOnExitPod { recorder.finish(run) }
        guard added, pod.status?.phase == nil || pod.status?.phase == "Pending" else { return }
        let namespace = pod.metadata.namespace
        let seconds = type == "main" ? mainSeconds : exitSeconds
        Task {
            let started = Self.timestamp()
            await Self.report(client, namespace, name, phase: "Running", state: ["running": ["startedAt": started]])
            try? await Task.sleep(for: .seconds(seconds))
            await Self.report(
                client, namespace, name, phase: "Succeeded",
                state: [
                    "terminated": [
                        "exitCode": 0, "reason": "Completed", "startedAt": started,
                        "finishedAt": Self.timestamp(), "containerID": "containerd://bench",
                    ]
                ])
        }
    }

    /// One status write as the kubelet makes it (a 404 for a pod already gone is no matter).
    private static func report(
        _ client: KubeClient, _ namespace: String?, _ name: String, phase: String, state: JSONValue
    )
        async
    {
        let status: JSONValue = [
            "status": [
                "phase": .string(phase),
                "containerStatuses": [
                    [
                        "name": "main", "ready": .bool(phase == "Running"), "restartCount": 0,
                        "image": "openmetadata/ingestion-base:1.5.0", "imageID": "",
                        "containerID": "containerd://bench",
                        "state": state,
                    ]
                ],
            ]
        ]
        _ = try? await client.patch(
            Unread.self, resource: PodView.resourceType, namespace: namespace, name: name, patch: status,
            subresource: "status")
    }

    private static func timestamp() -> JSONValue {
        .string(Date().formatted(.iso8601))
    }
}
