import Foundation
import KubeJSON
import Testing

@testable import KubeSim

/// Starts kubesim on an ephemeral port, connects a keep-alive client, runs `body`, and always
/// shuts both down.
func withSim<T>(
    _ configuration: KubeSimServer.Configuration = .init(threads: 1),
    _ body: (KubeSimServer, SimHTTPClient) async throws -> T
) async throws -> T {
    var configuration = configuration
    if configuration.crdDirectory == nil { configuration.crdDirectory = Fixture.crdDirectory }
    let sim = try await KubeSimServer.start(configuration)
    let client: SimHTTPClient
    do {
        client = try await SimHTTPClient.connect(port: sim.port, token: configuration.token)
    } catch {
        try? await sim.shutdown()
        throw error
    }
    do {
        let result = try await body(sim, client)
        await client.close()
        try await sim.shutdown()
        return result
    } catch {
        await client.close()
        try? await sim.shutdown()
        throw error
    }
}

/// A store with the fixture CRDs loaded, for tests of store semantics without HTTP.
func fixtureStore(historyLimit: Int = 10_000) throws -> ObjectStore {
    let store = ObjectStore(configuration: .init(historyLimit: historyLimit))
    try CRDLoader.load(directory: Fixture.crdDirectory, into: store)
    return store
}

/// Real-shaped objects used across suites.
enum Fixture {
    static var crdDirectory: String { Bundle.module.resourceURL!.appendingPathComponent("Fixtures").path }
    static let widgets = GroupResource(group: "test.kubesim.io", resource: "widgets")
    static let widgetsPath = "/apis/test.kubesim.io/v1/namespaces/default/widgets"

    static func pod(
        _ name: String, labels: [String: String] = [:], node: String? = nil, finalizers: [String] = [],
        owner: JSONValue? = nil
    ) -> JSONValue {
        var pod: JSONValue = [
            "apiVersion": "v1", "kind": "Pod",
            "metadata": ["name": .string(name), "labels": .object(labels.mapValues(JSONValue.string))],
            "spec": [
                "restartPolicy": "Never",
                "containers": [
                    [
                        "name": "main", "image": "busybox:1.36", "command": ["sh", "-c", "true"],
                        "env": [["name": "A", "value": "1"], ["name": "B", "value": "2"]],
                    ]
                ],
            ],
        ]
        if let node { pod.set(["spec", "nodeName"], .string(node)) }
        if !finalizers.isEmpty { pod.set(["metadata", "finalizers"], .array(finalizers.map(JSONValue.string))) }
        if let owner { pod.set(["metadata", "ownerReferences"], [owner]) }
        return pod
    }

    static func widget(_ name: String, spec: JSONValue = ["image": "busybox"]) -> JSONValue {
        ["apiVersion": "test.kubesim.io/v1", "kind": "Widget", "metadata": ["name": .string(name)], "spec": spec]
    }

    /// An ownerReference to `owner` (controller, blocking owner deletion).
    static func ownerReference(_ owner: JSONValue, block: Bool = true) -> JSONValue {
        [
            "apiVersion": owner["apiVersion"] ?? "", "kind": owner["kind"] ?? "", "name": .string(owner.name),
            "uid": .string(owner.uid), "controller": true, "blockOwnerDeletion": .bool(block),
        ]
    }
}

extension JSONValue {
    /// Shorthand for a nested string in assertions.
    func str(_ path: String...) -> String? { self[path: path]?.stringValue }
}
