import KubeJSON
import KubeSim

/// The floor: the least any operator must do to start an exit handler. One HTTP watch of pods,
/// and the moment a main pod is terminal, one HTTP create of its exit pod: no informer, no
/// status writes, no finalizers. Runs in-process against the same kubesim over real sockets.
public final class FloorClient: Sendable {
    private let watch: SimWatch
    private let client: SimHTTPClient
    private let task: Task<Void, Never>

    /// Opens the watch of `namespace` and starts reacting; exit pods that end are reported to `recorder`.
    public static func start(cluster: BenchCluster, namespace: String, recorder: RunRecorder) async throws
        -> FloorClient
    {
        let port = cluster.sim.port
        let path = "/api/v1/namespaces/\(namespace)/pods?watch=1"
        let watch = try await SimWatch.open(port: port, path: path, token: BenchCluster.token)
        let client = try await SimHTTPClient.connect(port: port, token: BenchCluster.token)
        let task = Task {
            var handled = Set<String>()
            for await line in watch.events {
                let pod = line["object"] ?? .null
                let labels = pod[path: ["metadata", "labels"]]
                guard RunRecorder.isTerminal(pod), let run = labels?[RunRecorder.nameLabel]?.stringValue else {
                    continue
                }
                if labels?[RunRecorder.podTypeLabel]?.stringValue == "exit-handler" {
                    recorder.finish(run)
                } else if handled.insert(run).inserted {
                    Task {
                        _ = try? await client.send(
                            "POST", "/api/v1/namespaces/\(namespace)/pods",
                            json: floorPod(run, type: "exit-handler", namespace: namespace))
                    }
                }
            }
        }
        return FloorClient(watch: watch, client: client, task: task)
    }

    private init(watch: SimWatch, client: SimHTTPClient, task: Task<Void, Never>) {
        self.watch = watch
        self.client = client
        self.task = task
    }

    public func stop() async {
        await watch.close()
        await client.close()
        task.cancel()
    }

    /// The pod the floor submits (`main`, with the `annotations` the operator's main pod of the
    /// same run carries) or creates in reaction (`exit-handler`, with none, like the operator's).
    public static func floorPod(_ run: String, type: String, namespace: String, annotations: [String: String] = [:])
        -> JSONValue
    {
        var metadata: JSONValue = [
            "name": .string("\(run)-\(type == "main" ? "main" : "exit")"), "namespace": .string(namespace),
            "labels": .object([RunRecorder.nameLabel: .string(run), RunRecorder.podTypeLabel: .string(type)]),
        ]
        if !annotations.isEmpty { metadata["annotations"] = .object(annotations.mapValues { .string($0) }) }
        return [
            "apiVersion": "v1", "kind": "Pod", "metadata": metadata,
            "spec": [
                "restartPolicy": "Never",
                "containers": [["name": "main", "image": "openmetadata/ingestion-base:1.5.0"]],
            ],
        ]
    }
}
