import KubeJSON
import Testing

@testable import KubeSim

@Suite struct PodSubresourceTests {
    @Test func logServesWhatWasAppended() async throws {
        try await withSim { sim, client in
            _ = try await client.send("POST", "/api/v1/namespaces/default/pods", json: Fixture.pod("p"))
            let waiting = try await client.send("GET", "/api/v1/namespaces/default/pods/p/log")
            #expect(waiting.status == 400)
            #expect(waiting.json.str("message")?.contains("is waiting to start") == true)
            try sim.store.appendLog(namespace: "default", pod: "p", container: "main", "one\ntwo\nthree\n")
            let log = try await client.send("GET", "/api/v1/namespaces/default/pods/p/log")
            #expect(log.status == 200 && log.text == "one\ntwo\nthree\n")
            #expect(log.headers["content-type"] == "text/plain")
            #expect(try await client.send("GET", "/api/v1/namespaces/default/pods/p/log?tailLines=1").text == "three\n")
            #expect(try await client.send("GET", "/api/v1/namespaces/default/pods/p/log?container=nope").status == 400)
            #expect(try await client.send("GET", "/api/v1/namespaces/default/pods/missing/log").status == 404)
        }
    }

    @Test func evictionMarksDisruptionTargetThenDeletes() async throws {
        try await withSim { sim, client in
            _ = try await client.send(
                "POST", "/api/v1/namespaces/default/pods", json: Fixture.pod("p", node: "n1", finalizers: ["a.io/keep"])
            )
            let eviction: JSONValue = [
                "apiVersion": "policy/v1", "kind": "Eviction", "metadata": ["name": "p", "namespace": "default"],
            ]
            let response = try await client.send("POST", "/api/v1/namespaces/default/pods/p/eviction", json: eviction)
            #expect(response.status == 201)
            let pod = try sim.store.get(.pods, namespace: "default", name: "p")
            #expect(pod.isDeleting)
            let condition = pod[path: ["status", "conditions"]]?.arrayValue?.first { $0["type"] == "DisruptionTarget" }
            #expect(condition?["reason"] == "EvictionByEvictionAPI")
        }
    }

    @Test func bindingSetsTheNodeOnce() async throws {
        try await withSim { sim, client in
            _ = try await client.send("POST", "/api/v1/namespaces/default/pods", json: Fixture.pod("p"))
            let binding: JSONValue = [
                "apiVersion": "v1", "kind": "Binding", "metadata": ["name": "p"],
                "target": ["kind": "Node", "name": "n1"],
            ]
            #expect(
                try await client.send("POST", "/api/v1/namespaces/default/pods/p/binding", json: binding).status == 201)
            #expect(try sim.store.get(.pods, namespace: "default", name: "p").str("spec", "nodeName") == "n1")
            let again = try await client.send("POST", "/api/v1/namespaces/default/pods/p/binding", json: binding)
            #expect(again.status == 409)
        }
    }

    @Test func statusSubresourceOverHTTP() async throws {
        try await withSim { _, client in
            _ = try await client.send("POST", "/api/v1/namespaces/default/pods", json: Fixture.pod("p"))
            let patched = try await client.send(
                "PATCH", "/api/v1/namespaces/default/pods/p/status",
                json: ["status": ["phase": "Running"], "metadata": ["labels": ["ignored": "yes"]]],
                contentType: "application/merge-patch+json")
            #expect(patched.json.str("status", "phase") == "Running")
            #expect(patched.json.labels["ignored"] == nil)
            #expect(
                try await client.send("GET", "/api/v1/namespaces/default/pods/p/status").json.str("status", "phase")
                    == "Running")
        }
    }
}
