import KubeJSON
import KubeSim
import NIOConcurrencyHelpers
import Testing

/// The API documented at the top of KubeSim.swift, used exactly as another target would
/// (plain `import KubeSim`, no @testable).
@Suite struct PublicAPITests {
    @Test func documentedAPIWorksFromOutsideTheModule() async throws {
        let sim = try await KubeSimServer.start(.init(port: 0, token: "t", threads: 1))
        do {
            #expect(sim.port > 0)
            #expect(sim.baseURL == "http://127.0.0.1:\(sim.port)")
            let seen = NIOLockedValueBox<[String]>([])
            let token = try sim.store.watch(.pods, namespace: "default", options: .init()) { event in
                seen.withLockedValue { $0.append(event.type.rawValue) }
            }
            let pod: JSONValue = [
                "apiVersion": "v1", "kind": "Pod", "metadata": ["name": "p"],
                "spec": ["nodeName": "n1", "containers": [["name": "main", "image": "busybox"]]],
            ]
            let created = try sim.store.create(.pods, namespace: "default", object: pod)
            let rv = sim.store.resourceVersion
            #expect(created[path: ["metadata", "resourceVersion"]]?.stringValue == String(rv))
            try sim.store.patch(
                .pods, namespace: "default", name: "p", type: .merge, patch: ["status": ["phase": "Running"]],
                subresource: .status)
            try sim.store.mutate(.pods, namespace: "default", name: "p", subresource: .status) {
                $0.set(["status", "phase"], "Succeeded")
            }
            #expect(
                try sim.store.get(.pods, namespace: "default", name: "p")[path: ["status", "phase"]] == "Succeeded")
            try sim.store.appendLog(namespace: "default", pod: "p", container: "main", "done\n")
            #expect(try sim.store.log(namespace: "default", pod: "p", container: nil) == "done\n")
            sim.interceptor = { _ in .respond(.tooManyRequests(retryAfterSeconds: 1)) }
            let client = try await SimHTTPClient.connect(port: sim.port, token: "t")
            #expect(try await client.send("GET", "/api/v1/pods").status == 429)
            sim.interceptor = nil
            #expect(try await client.send("GET", "/api/v1/pods").json["items"]?.arrayValue?.count == 1)
            await client.close()
            let outcome = try sim.store.delete(.pods, namespace: "default", name: "p")
            if case .deleted = outcome {} else { Issue.record("a Succeeded pod is deleted at once") }
            if let token { sim.store.stopWatch(token) }
            #expect(seen.withLockedValue { $0 } == ["ADDED", "MODIFIED", "MODIFIED", "MODIFIED", "DELETED"])
        } catch {
            try? await sim.shutdown()
            throw error
        }
        try await sim.shutdown()
    }
}
