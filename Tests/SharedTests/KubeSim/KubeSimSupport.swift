import Foundation
import KubeJSON
import KubeSim
import Synchronization

@testable import Shared

/// kubesim with the repository's CRDs, plus a client loop; everything is torn down by `finish`.
struct SimHarness {
    static let crdDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("deploy/crds").path
    static let omjobs = GroupResource(group: "pipelines.openmetadata.org", resource: "omjobs")

    let sim: KubeSimServer
    let thread: LoopThread

    init(token: String? = "sim-token", tls: TestCertificates? = nil, historyLimit: Int = 10_000) async throws {
        sim = try await KubeSimServer.start(
            .init(
                token: token, crdDirectory: Self.crdDirectory, tlsCertificatePath: tls?.serverCert,
                tlsKeyPath: tls?.serverKey, store: .init(historyLimit: historyLimit), threads: 1))
        thread = try LoopThread()
    }

    /// The retry deadline only bounds a hang: a loaded machine has held a first attempt for 40 s.
    func client(
        server: String? = nil, tls: TLSOptions = TLSOptions(),
        credentials: ClusterConfiguration.Credentials = .token("sim-token"),
        retry: RetryPolicy = RetryPolicy(
            initialBackoff: .milliseconds(20), maxBackoff: .milliseconds(200), deadline: .seconds(120))
    ) -> KubeClient {
        KubeClient(
            configuration: ClusterConfiguration(server: server ?? sim.baseURL, tls: tls, credentials: credentials),
            executor: thread.executor, retry: retry)
    }

    func finish(_ clients: KubeClient...) async throws {
        for client in clients { await client.http.shutdown() }
        thread.stopAndWait()
        try await sim.shutdown()
    }

    static func omjob(_ name: String, image: String? = "openmetadata/ingestion:1.5") -> JSONValue {
        var pod: JSONValue = ["serviceAccountName": "ingestion", "command": ["python", "main.py"]]
        if let image { pod["image"] = .string(image) }
        return [
            "apiVersion": "pipelines.openmetadata.org/v1", "kind": "OMJob",
            "metadata": ["name": .string(name), "namespace": "default"], "spec": ["mainPodSpec": pod],
        ]
    }
}

/// Requests kubesim saw (through its interceptor hook), with arrival times.
final class RequestRecorder: Sendable {
    let seen = Mutex<[(method: String, path: String, time: ContinuousClock.Instant)]>([])

    func record(_ request: APIRequest) {
        // The query matters only as "is this a watch": kept on the path for simple filters.
        let path = request.path + (request.query["watch"] == "true" ? "?watch=true" : "")
        seen.withLock { $0.append((request.method, path, .now)) }
    }

    var count: Int { seen.withLock { $0.count } }
}
