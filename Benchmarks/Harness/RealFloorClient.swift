import KubeAPI
import KubeJSON
import Models
import Synchronization
import UVLoop

/// The floor on a real API server: the least any operator must do to start an exit handler,
/// with the operator's own client (libcurl, HTTPS, the same byte-level pod reading): one watch
/// of the namespace's pods and, the moment a main pod is terminal, one create of its exit pod.
/// No informer, no status writes, no finalizers, no other process.
public final class RealFloorClient: Sendable {
    private let loop: LoopThread
    private let task: Task<Void, Never>
    private let creates: DurationLog

    /// How long each create of an exit pod took, request sent to answer read, in milliseconds.
    public var createMilliseconds: [Double] { creates.all }

    public init(server: ControlPlaneServer, namespace: String) throws {
        let (client, loop) = try server.client()
        self.loop = loop
        let creates = DurationLog()
        self.creates = creates
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
                            let sent = ContinuousClock.now
                            _ = try? await client.create(
                                FloorClient.floorPod(run, type: "exit-handler", namespace: namespace),
                                resource: PodView.resourceType, namespace: namespace, name: nil, answer: Unread.self)
                            let took = (ContinuousClock.now - sent).milliseconds
                            creates.add(took)
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

/// Durations in milliseconds added from several tasks.
final class DurationLog: Sendable {
    private let values = Mutex<[Double]>([])
    func add(_ milliseconds: Double) { values.withLock { $0.append(milliseconds) } }
    var all: [Double] { values.withLock { $0 } }
}
