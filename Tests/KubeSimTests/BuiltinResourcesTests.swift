import KubeJSON
import Testing

@testable import KubeSim

@Suite struct BuiltinResourcesTests {
    @Test func eventsV1NeedTheirRequiredFieldsCoreEventsDoNot() async throws {
        try await withSim { _, client in
            let core: JSONValue = [
                "apiVersion": "v1", "kind": "Event", "metadata": ["name": "e1"], "reason": "Started",
                "involvedObject": ["kind": "Pod", "name": "p", "namespace": "default"],
            ]
            #expect(try await client.send("POST", "/api/v1/namespaces/default/events", json: core).status == 201)
            let incomplete: JSONValue = [
                "apiVersion": "events.k8s.io/v1", "kind": "Event", "metadata": ["name": "e2"], "type": "Odd",
            ]
            let rejected = try await client.send(
                "POST", "/apis/events.k8s.io/v1/namespaces/default/events", json: incomplete)
            #expect(rejected.status == 422)
            let fields = Set(
                rejected.json["details"]?["causes"]?.arrayValue?.compactMap { $0["field"]?.stringValue } ?? [])
            #expect(fields == ["eventTime", "reportingController", "reportingInstance", "action", "reason", "type"])
            let complete: JSONValue = [
                "apiVersion": "events.k8s.io/v1", "kind": "Event", "metadata": ["name": "e3"],
                "eventTime": "2026-01-01T00:00:00.000000Z", "reportingController": "omjob-operator",
                "reportingInstance": "omjob-operator-0", "action": "Create", "reason": "Created", "type": "Normal",
                "regarding": ["kind": "OMJob", "name": "run-1"],
            ]
            #expect(
                try await client.send("POST", "/apis/events.k8s.io/v1/namespaces/default/events", json: complete).status
                    == 201)
        }
    }

    @Test func nodesAreClusterScopedWithStatus() async throws {
        try await withSim { _, client in
            let node: JSONValue = ["apiVersion": "v1", "kind": "Node", "metadata": ["name": "node-1"]]
            #expect(try await client.send("POST", "/api/v1/nodes", json: node).status == 201)
            #expect(try await client.send("GET", "/api/v1/namespaces/default/nodes/node-1").status == 404)
            let status = try await client.send(
                "PATCH", "/api/v1/nodes/node-1/status",
                json: ["status": ["conditions": [["type": "Ready", "status": "False"]]]],
                contentType: "application/strategic-merge-patch+json")
            #expect(status.json["status"]?["conditions"]?.arrayValue?.first?["status"] == "False")
        }
    }

    @Test func leasesUpdateWithOptimisticConcurrency() throws {
        let store = try fixtureStore()
        let lease: JSONValue = [
            "apiVersion": "coordination.k8s.io/v1", "kind": "Lease", "metadata": ["name": "leader"],
            "spec": ["holderIdentity": "a", "leaseDurationSeconds": 15],
        ]
        let created = try store.create(.leases, namespace: "default", object: lease)
        var renewed = created
        renewed.set(["spec", "holderIdentity"], "b")
        try store.update(.leases, namespace: "default", name: "leader", object: renewed)
        var stale = created
        stale.set(["spec", "holderIdentity"], "c")
        let error = try #require(throws: KubeAPIError.self) {
            try store.update(.leases, namespace: "default", name: "leader", object: stale)
        }
        #expect(error.reason == "Conflict")
    }

    @Test func tableResponseForKubectlGet() async throws {
        try await withSim { _, client in
            _ = try await client.send("POST", Fixture.widgetsPath, json: Fixture.widget("w"))
            let table = try await client.send(
                "GET", Fixture.widgetsPath,
                headers: [("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io,application/json")]
            ).json
            #expect(table.str("kind") == "Table")
            #expect(table["columnDefinitions"]?.arrayValue?.map { $0["name"] } == ["Name", "Phase", "Age"])
            #expect(table["rows"]?.arrayValue?.first?["cells"]?.arrayValue?.first == "w")
        }
    }
}
