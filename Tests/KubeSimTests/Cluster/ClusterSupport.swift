import Foundation
import KubeJSON
import Testing

@testable import KubeSim

/// kubesim with one node (`kubesim-node-1`) on a manual clock, for driving pods step by step.
func withCluster<T>(
    nodes: Int = 1, autoPolicy: AutoPolicy? = nil, localRuntime: Bool = false,
    _ body: (KubeSimServer, SimHTTPClient) async throws -> T
) async throws -> T {
    let clock: ClusterClock = localRuntime ? .system : .manual(ManualClock())
    let cluster = SimCluster.Configuration(
        clock: clock, nodes: nodes, autoPolicy: autoPolicy,
        localRuntime: localRuntime ? LocalRuntimeConfiguration() : nil)
    return try await withSim(.init(threads: 1, cluster: cluster), body)
}

/// A pod shaped as the endings fixtures expect: one container `main`, restartPolicy Never.
func endingPod(
    _ name: String = "p", image: String = "busybox:1.36", finalizer: Bool = false, annotations: [String: String] = [:],
    extraSpec: [String: JSONValue] = [:], env: [JSONValue] = []
) -> JSONValue {
    var pod = Fixture.pod(name)
    pod.set(
        ["spec", "containers"],
        [["name": "main", "image": .string(image), "command": ["sh", "-c", "true"], "env": .array(env)]])
    if finalizer { pod.set(["metadata", "finalizers"], ["kubesim.io/test-hold"]) }
    if !annotations.isEmpty { pod.set(["metadata", "annotations"], .object(annotations.mapValues(JSONValue.string))) }
    for (key, value) in extraSpec { pod.set(["spec", key], value) }
    return pod
}

extension KubeSimServer {
    func pod(_ name: String, namespace: String = "default") throws -> JSONValue {
        try store.get(.pods, namespace: namespace, name: name)
    }

    /// Creates the pod, binds it to the node, starts it.
    func runningPod(_ pod: JSONValue, node: String = "kubesim-node-1") throws {
        try store.create(.pods, namespace: "default", object: pod)
        try cluster.schedule(pod.name, to: node)
        try cluster.start(pod.name)
    }
}

/// Polls `condition` every 10 ms until it holds or `seconds` pass (for real local processes).
func eventually(_ seconds: Double = 10, _ condition: () throws -> Bool) async throws -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if (try? condition()) == true { return true }
        try await Task.sleep(for: .milliseconds(10))
    }
    return try condition()
}
