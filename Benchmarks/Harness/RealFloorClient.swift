import KubeAPI
import KubeJSON
import Models
import UVLoop

/// The floor on a real API server: the least any operator must do to start an exit handler,
/// with the operator's own client (libcurl, HTTPS, the same byte-level pod reading): one watch
/// of the namespace's pods and, the moment a main pod is terminal, one create of its exit pod.
/// No informer, no status writes, no finalizers, no other process.
public final class RealFloorClient: Sendable {
    private let loop: LoopThread
    private let task: Task<Void, Never>

    public init(server: ControlPlaneServer, namespace: String) throws {
        let (client, loop) = try server.client()
        self.loop = loop
        task = Task {
            var handled = Set<String>()
            while !Task.isCancelled {
                do {
                    for try await event in try await client.watch(
                        PodView.self, namespace: namespace, options: WatchOptions())
                    {
                        guard case .modified(let pod) = event, pod.status?.phase == "Succeeded",
                            let labels = pod.metadata.labels, labels[RunRecorder.podTypeLabel] == "main",
                            let run = labels[RunRecorder.nameLabel], handled.insert(run).inserted
                        else { continue }
                        Task {
                            _ = try? await client.create(
                                FloorClient.floorPod(run, type: "exit-handler", namespace: namespace),
                                resource: PodView.resourceType, namespace: namespace, name: nil, answer: Unread.self)
                        }
                    }
                } catch {
                    if Task.isCancelled { return }
                    try? await Task.sleep(for: .milliseconds(100))
                }
            }
        }
    }

    public func stop() async {
        task.cancel()
        await task.value
        loop.stopAndWait()
    }
}
