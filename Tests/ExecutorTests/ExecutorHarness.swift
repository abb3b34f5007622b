import Foundation
import KubeJSON
import KubeSim
import Shared

@testable import Executor

/// kubesim with the repository's CRDs, one OMJob, and a performer on a client loop.
struct ExecutorHarness {
    static let crds = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("deploy/crds").path
    static let omjobs = GroupResource(group: "pipelines.openmetadata.org", resource: "omjobs")
    static let key = ObjectKey(namespace: "default", name: "run")

    let sim: KubeSimServer
    let thread: LoopThread
    let client: KubeClient
    let performer: CommandPerformer
    let omJobUID: String

    init() async throws {
        sim = try await KubeSimServer.start(.init(token: "t", crdDirectory: Self.crds, threads: 1))
        thread = try LoopThread()
        client = KubeClient(
            configuration: ClusterConfiguration(server: sim.baseURL, credentials: .token("t")),
            executor: thread.executor,
            retry: RetryPolicy(initialBackoff: .milliseconds(10), maxBackoff: .milliseconds(50), deadline: .seconds(2)))
        performer = CommandPerformer(client: client)
        let created = try sim.store.create(
            Self.omjobs, namespace: "default",
            object: [
                "apiVersion": "pipelines.openmetadata.org/v1", "kind": "OMJob",
                "metadata": ["name": "run", "namespace": "default"],
                "spec": ["mainPodSpec": ["image": "i", "serviceAccountName": "sa", "command": ["c"]]],
            ])
        omJobUID = created["metadata"]?["uid"]?.stringValue ?? ""
    }

    func finish() async throws {
        await client.http.shutdown()
        thread.stopAndWait()
        try await sim.shutdown()
    }

    func command(_ id: String, _ action: CommandAction) -> Command {
        Command(id: "\(omJobUID)/\(id)", key: Self.key, omJobUID: omJobUID, action: action)
    }

    /// A run's pod, owned by the OMJob (or by `owner`).
    func pod(_ name: String, owner: String? = nil) -> Pod {
        var pod = Pod(
            metadata: ObjectMeta(name: name, namespace: "default"),
            spec: PodSpec(containers: [Container(name: "main", image: "i")]))
        pod.metadata.ownerReferences = [
            OwnerReference(
                apiVersion: "pipelines.openmetadata.org/v1", kind: "OMJob", name: "run",
                uid: owner ?? omJobUID, controller: true)
        ]
        return pod
    }

    func createPod(_ pod: Pod, type: PodType = .main) -> CommandAction {
        .createPod(CreatePod(pod: pod, podType: type, attempt: 1))
    }

    func omJob() throws -> JSONValue { try sim.store.get(Self.omjobs, namespace: "default", name: "run") }
    func storedPod(_ name: String) -> JSONValue? { try? sim.store.get(.pods, namespace: "default", name: name) }
}
