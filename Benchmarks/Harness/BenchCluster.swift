import Foundation
import KubeJSON
import KubeSim

/// kubesim in-process, in automatic mode (every pod runs `runSeconds` and exits 0 unless its
/// annotations say otherwise), with the repository's CRDs, one namespace, and a kubeconfig
/// for the operator in a private directory. Requests are counted by verb from the moment it starts.
public final class BenchCluster: Sendable {
    public static let omjobs = GroupResource(group: "pipelines.openmetadata.org", resource: "omjobs")
    public static let token = "bench-token"

    public let sim: KubeSimServer
    public let namespace: String
    public let directory: String
    public let requests = RequestCounter()

    private init(sim: KubeSimServer, namespace: String, directory: String) {
        self.sim = sim
        self.namespace = namespace
        self.directory = directory
    }

    /// Starts kubesim with `nodes` nodes and writes `<directory>/kubeconfig`.
    public static func start(namespace: String, runSeconds: Double, nodes: Int = 4, threads: Int = 2) async throws
        -> BenchCluster
    {
        let cluster = SimCluster.Configuration(
            nodes: nodes, autoPolicy: AutoPolicy(runSeconds: runSeconds, exitCode: 0))
        let sim = try await KubeSimServer.start(
            .init(token: token, crdDirectory: RepositoryPaths.crds, threads: threads, cluster: cluster))
        let directory = try RepositoryPaths.temporaryDirectory(prefix: "omjob-bench")
        let bench = BenchCluster(sim: sim, namespace: namespace, directory: directory)
        try bench.createNamespace(namespace)
        try bench.writeKubeconfig()
        let counter = bench.requests
        sim.interceptor = { request in
            counter.count(request)
            return nil
        }
        return bench
    }

    public func createNamespace(_ name: String) throws {
        _ = try sim.store.create(
            .namespaces, namespace: nil,
            object: ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(name)]])
    }

    private func writeKubeconfig() throws {
        try """
        apiVersion: v1
        kind: Config
        clusters: [{name: sim, cluster: {server: "\(sim.baseURL)"}}]
        users: [{name: bench, user: {token: \(Self.token)}}]
        contexts: [{name: sim, context: {cluster: sim, user: bench, namespace: \(namespace)}}]
        current-context: sim
        """.write(toFile: directory + "/kubeconfig", atomically: true, encoding: .utf8)
    }

    /// Every OMJob of the namespace.
    public func omJobs() -> [JSONValue] {
        (try? sim.store.list(Self.omjobs, namespace: namespace).items) ?? []
    }

    /// Every pod of the namespace.
    public func pods() -> [JSONValue] {
        (try? sim.store.list(.pods, namespace: namespace).items) ?? []
    }

    /// Stops kubesim and removes the directory.
    public func shutdown() async {
        try? await sim.shutdown()
        try? FileManager.default.removeItem(atPath: directory)
    }
}
