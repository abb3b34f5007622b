import KubeJSON
import Testing

@testable import KubeSim

@Suite struct UpdateSemanticsTests {
    @Test func staleResourceVersionIsConflict() async throws {
        try await withSim { _, client in
            let created = try await client.send("POST", "/api/v1/namespaces/default/pods", json: Fixture.pod("p")).json
            var first = created
            first.set(["metadata", "labels", "x"], "1")
            #expect(try await client.send("PUT", "/api/v1/namespaces/default/pods/p", json: first).status == 200)
            var stale = created
            stale.set(["metadata", "labels", "x"], "2")
            let conflict = try await client.send("PUT", "/api/v1/namespaces/default/pods/p", json: stale)
            #expect(conflict.status == 409)
            #expect(conflict.json.str("reason") == "Conflict")
            #expect(
                conflict.json.str("message")
                    == "Operation cannot be fulfilled on pods \"p\": the object has been modified; please apply your changes to the latest version and try again"
            )
        }
    }

    @Test func generationBumpsOnSpecChangesOnly() throws {
        let store = try fixtureStore()
        let created = try store.create(Fixture.widgets, namespace: "default", object: Fixture.widget("w"))
        #expect(created.generation == 1)
        var labelled = created
        labelled.set(["metadata", "labels", "a"], "b")
        let afterLabel = try store.update(Fixture.widgets, namespace: "default", name: "w", object: labelled)
        #expect(afterLabel.generation == 1)
        var statusChange = afterLabel
        statusChange.set(["status", "phase"], "Running")
        let afterStatus = try store.update(
            Fixture.widgets, namespace: "default", name: "w", object: statusChange, subresource: .status)
        #expect(afterStatus.generation == 1)
        #expect(afterStatus.str("status", "phase") == "Running")
        var specChange = afterStatus
        specChange.set(["spec", "size"], 5)
        let afterSpec = try store.update(Fixture.widgets, namespace: "default", name: "w", object: specChange)
        #expect(afterSpec.generation == 2)
    }

    @Test func mainEndpointIgnoresStatusAndStatusEndpointIgnoresTheRest() throws {
        let store = try fixtureStore()
        let created = try store.create(Fixture.widgets, namespace: "default", object: Fixture.widget("w"))
        var both = created
        both.set(["spec", "size"], 7)
        both.set(["status", "phase"], "Done")
        let viaMain = try store.update(Fixture.widgets, namespace: "default", name: "w", object: both)
        #expect(viaMain[path: ["spec", "size"]] == 7)
        #expect(viaMain["status"] == nil)
        var both2 = viaMain
        both2.set(["spec", "size"], 9)
        both2.set(["status", "phase"], "Done")
        both2.set(["metadata", "labels", "sneaky"], "yes")
        let viaStatus = try store.update(
            Fixture.widgets, namespace: "default", name: "w", object: both2, subresource: .status)
        #expect(viaStatus[path: ["spec", "size"]] == 7)
        #expect(viaStatus.str("status", "phase") == "Done")
        #expect(viaStatus.labels["sneaky"] == nil)
    }

    @Test func createIgnoresStatusOfResourcesWithStatusSubresource() throws {
        let store = try fixtureStore()
        var widget = Fixture.widget("w")
        widget["status"] = ["phase": "Succeeded"]
        #expect(try store.create(Fixture.widgets, namespace: "default", object: widget)["status"] == nil)
        var pod = Fixture.pod("p")
        pod["status"] = ["phase": "Running"]
        #expect(try store.create(.pods, namespace: "default", object: pod).str("status", "phase") == "Pending")
    }

    @Test func customResourcePutNeedsAResourceVersion() throws {
        let store = try fixtureStore()
        var widget = try store.create(Fixture.widgets, namespace: "default", object: Fixture.widget("w"))
        widget.set(["metadata", "resourceVersion"], nil)
        let error = try #require(throws: KubeAPIError.self) {
            try store.update(Fixture.widgets, namespace: "default", name: "w", object: widget)
        }
        #expect(error.code == 422)
        #expect(error.causes.first?.field == "metadata.resourceVersion")
    }

    @Test func noOpUpdateKeepsTheResourceVersion() throws {
        let store = try fixtureStore()
        let created = try store.create(.pods, namespace: "default", object: Fixture.pod("p"))
        let again = try store.update(.pods, namespace: "default", name: "p", object: created)
        #expect(again.resourceVersionString == created.resourceVersionString)
        #expect(store.resourceVersion == Int64(created.resourceVersionString))
    }

    @Test func immutableMetadataIsKept() throws {
        let store = try fixtureStore()
        var pod = try store.create(.pods, namespace: "default", object: Fixture.pod("p"))
        let uid = pod.uid
        pod.set(["metadata", "uid"], "forged")
        pod.set(["metadata", "creationTimestamp"], "2000-01-01T00:00:00Z")
        pod.set(["metadata", "labels", "changed"], "yes")
        let updated = try store.update(.pods, namespace: "default", name: "p", object: pod)
        #expect(updated.uid == uid)
        #expect(updated.str("metadata", "creationTimestamp") != "2000-01-01T00:00:00Z")
    }

    @Test func podSpecIsImmutableExceptImages() throws {
        let store = try fixtureStore()
        var pod = try store.create(.pods, namespace: "default", object: Fixture.pod("p"))
        pod.set(["spec", "restartPolicy"], "Always")
        let error = try #require(throws: KubeAPIError.self) {
            try store.update(.pods, namespace: "default", name: "p", object: pod)
        }
        #expect(error.causes.first?.field == "spec" && error.causes.first?.reason == "FieldValueForbidden")
    }

    @Test func putOfMissingObjectIsNotFoundExceptForLeases() throws {
        let store = try fixtureStore()
        #expect(throws: KubeAPIError.self) {
            try store.update(.pods, namespace: "default", name: "p", object: Fixture.pod("p"))
        }
        let lease: JSONValue = [
            "apiVersion": "coordination.k8s.io/v1", "kind": "Lease", "metadata": ["name": "leader"],
            "spec": ["holderIdentity": "me", "leaseDurationSeconds": 15],
        ]
        let created = try store.update(.leases, namespace: "default", name: "leader", object: lease)
        #expect(created.str("spec", "holderIdentity") == "me")
    }
}
