import KubeJSON
import Testing

@testable import KubeSim

@Suite struct DeletionTests {
    @Test func finalizerHoldsADeletedPodUntilRemoved() throws {
        let store = try fixtureStore()
        try store.create(
            .pods, namespace: "default",
            object: Fixture.pod("p", finalizers: ["omjob.pipelines.openmetadata.org/record"]))
        let outcome = try store.delete(.pods, namespace: "default", name: "p")
        guard case .pending(let held) = outcome else {
            Issue.record("expected pending, got \(outcome)")
            return
        }
        #expect(held.deletionTimestamp != nil)
        #expect(held.deletionGracePeriod == 0)
        #expect(try store.get(.pods, namespace: "default", name: "p").isDeleting)
        let sink = EventSink()
        try store.watch(
            .pods, namespace: "default", options: .init(resourceVersion: String(store.resourceVersion)),
            sink: sink.receive)
        try store.patch(.pods, namespace: "default", name: "p", type: .merge, patch: ["metadata": ["finalizers": nil]])
        #expect(throws: KubeAPIError.self) { try store.get(.pods, namespace: "default", name: "p") }
        #expect(sink.summary == ["MODIFIED p", "DELETED p"])
    }

    @Test func noNewFinalizersOnADeletingObject() throws {
        let store = try fixtureStore()
        try store.create(.pods, namespace: "default", object: Fixture.pod("p", finalizers: ["a.io/x"]))
        try store.delete(.pods, namespace: "default", name: "p")
        let error = try #require(throws: KubeAPIError.self) {
            try store.patch(
                .pods, namespace: "default", name: "p", type: .merge,
                patch: ["metadata": ["finalizers": ["a.io/x", "b.io/y"]]])
        }
        #expect(error.causes.first?.field == "metadata.finalizers")
    }

    @Test func boundPodIsGracefulUnboundPodGoesAtOnce() throws {
        let store = try fixtureStore()
        try store.create(.pods, namespace: "default", object: Fixture.pod("unbound"))
        guard case .deleted = try store.delete(.pods, namespace: "default", name: "unbound") else {
            Issue.record("unbound pod should go at once")
            return
        }
        try store.create(.pods, namespace: "default", object: Fixture.pod("bound", node: "n1"))
        let pending = try store.delete(
            .pods, namespace: "default", name: "bound", options: .init(gracePeriodSeconds: 20))
        #expect(pending.object.deletionGracePeriod == 20)
        #expect(try store.get(.pods, namespace: "default", name: "bound").isDeleting)
        // What the kubelet does when the container stopped: delete with grace 0.
        guard
            case .deleted = try store.delete(
                .pods, namespace: "default", name: "bound", options: .init(gracePeriodSeconds: 0))
        else {
            Issue.record("grace 0 should remove")
            return
        }
    }

    @Test func terminalPodIsDeletedImmediatelyEvenWhenBound() throws {
        let store = try fixtureStore()
        try store.create(.pods, namespace: "default", object: Fixture.pod("done", node: "n1"))
        try store.patch(
            .pods, namespace: "default", name: "done", type: .merge, patch: ["status": ["phase": "Succeeded"]],
            subresource: .status)
        guard case .deleted = try store.delete(.pods, namespace: "default", name: "done") else {
            Issue.record("terminal pod should go at once")
            return
        }
    }

    @Test func preconditionsMustMatch() throws {
        let store = try fixtureStore()
        let pod = try store.create(.pods, namespace: "default", object: Fixture.pod("p"))
        let uidError = try #require(throws: KubeAPIError.self) {
            try store.delete(.pods, namespace: "default", name: "p", options: .init(preconditionUID: "other"))
        }
        #expect(
            uidError.code == 409
                && uidError.message.contains("the UID in the precondition (other) does not match the UID in record"))
        #expect(throws: KubeAPIError.self) {
            try store.delete(.pods, namespace: "default", name: "p", options: .init(preconditionResourceVersion: "1"))
        }
        _ = try store.delete(
            .pods, namespace: "default", name: "p",
            options: .init(preconditionUID: pod.uid, preconditionResourceVersion: pod.resourceVersionString))
    }

    @Test func backgroundDeletionCollectsDependents() throws {
        let store = try fixtureStore()
        let owner = try store.create(Fixture.widgets, namespace: "default", object: Fixture.widget("job"))
        try store.create(
            .pods, namespace: "default", object: Fixture.pod("job-main", owner: Fixture.ownerReference(owner)))
        try store.create(.pods, namespace: "default", object: Fixture.pod("unrelated"))
        try store.delete(
            Fixture.widgets, namespace: "default", name: "job", options: .init(propagationPolicy: "Background"))
        #expect(try store.list(.pods, namespace: "default").items.map(\.name) == ["unrelated"])
    }

    @Test func dependentWithAnotherLiveOwnerOnlyLosesTheReference() throws {
        let store = try fixtureStore()
        let a = try store.create(Fixture.widgets, namespace: "default", object: Fixture.widget("a"))
        let b = try store.create(Fixture.widgets, namespace: "default", object: Fixture.widget("b"))
        var pod = Fixture.pod("shared")
        pod.ownerReferences = [Fixture.ownerReference(a), Fixture.ownerReference(b)]
        try store.create(.pods, namespace: "default", object: pod)
        try store.delete(Fixture.widgets, namespace: "default", name: "a")
        #expect(try store.get(.pods, namespace: "default", name: "shared").ownerUIDs == [b.uid])
    }

    @Test func foregroundDeletionWaitsForBlockingDependents() throws {
        let store = try fixtureStore()
        let owner = try store.create(Fixture.widgets, namespace: "default", object: Fixture.widget("job"))
        try store.create(
            .pods, namespace: "default", object: Fixture.pod("main", node: "n1", owner: Fixture.ownerReference(owner)))
        let outcome = try store.delete(
            Fixture.widgets, namespace: "default", name: "job", options: .init(propagationPolicy: "Foreground"))
        #expect(outcome.object.finalizers == ["foregroundDeletion"])
        // The bound pod is terminating gracefully, so the owner waits.
        #expect(try store.get(.pods, namespace: "default", name: "main").isDeleting)
        #expect(try store.get(Fixture.widgets, namespace: "default", name: "job").finalizers == ["foregroundDeletion"])
        try store.delete(.pods, namespace: "default", name: "main", options: .init(gracePeriodSeconds: 0))
        #expect(throws: KubeAPIError.self) { try store.get(Fixture.widgets, namespace: "default", name: "job") }
    }

    @Test func orphanPolicyKeepsDependentsAndDropsTheirReference() throws {
        let store = try fixtureStore()
        let owner = try store.create(Fixture.widgets, namespace: "default", object: Fixture.widget("job"))
        try store.create(.pods, namespace: "default", object: Fixture.pod("main", owner: Fixture.ownerReference(owner)))
        try store.delete(
            Fixture.widgets, namespace: "default", name: "job", options: .init(propagationPolicy: "Orphan"))
        #expect(throws: KubeAPIError.self) { try store.get(Fixture.widgets, namespace: "default", name: "job") }
        #expect(try store.get(.pods, namespace: "default", name: "main").ownerReferences.isEmpty)
    }

    @Test func dependentOfAnOwnerThatNeverExistedIsCollected() throws {
        let store = try fixtureStore()
        let ghost: JSONValue = [
            "apiVersion": "test.kubesim.io/v1", "kind": "Widget", "name": "ghost",
            "uid": "00000000-0000-0000-0000-000000000000",
        ]
        try store.create(.pods, namespace: "default", object: Fixture.pod("orphaned", owner: ghost))
        #expect(throws: KubeAPIError.self) { try store.get(.pods, namespace: "default", name: "orphaned") }
    }

    @Test func orphanDependentsWithAPropagationPolicyIsInvalid() throws {
        let store = try fixtureStore()
        try store.create(.pods, namespace: "default", object: Fixture.pod("p"))
        let error = try #require(throws: KubeAPIError.self) {
            try store.delete(
                .pods, namespace: "default", name: "p",
                options: .init(propagationPolicy: "Background", orphanDependents: true))
        }
        #expect(error.code == 422 && error.causes.first?.field == "propagationPolicy")
    }

    @Test func namespaceDeletionEmptiesThenRemovesTheNamespace() throws {
        let store = try fixtureStore()
        try store.create(.namespaces, namespace: nil, object: ["metadata": ["name": "team"]])
        try store.create(.pods, namespace: "team", object: Fixture.pod("a"))
        try store.create(.pods, namespace: "team", object: Fixture.pod("held", finalizers: ["a.io/x"]))
        try store.delete(.namespaces, namespace: nil, name: "team")
        #expect(try store.get(.namespaces, namespace: nil, name: "team").str("status", "phase") == "Terminating")
        #expect(try store.list(.pods, namespace: "team").items.map(\.name) == ["held"])
        try store.patch(.pods, namespace: "team", name: "held", type: .merge, patch: ["metadata": ["finalizers": nil]])
        #expect(throws: KubeAPIError.self) { try store.get(.namespaces, namespace: nil, name: "team") }
    }

    @Test func deleteOverHTTPReturnsObjectForPodsAndStatusForCustomResources() async throws {
        try await withSim { _, client in
            _ = try await client.send("POST", "/api/v1/namespaces/default/pods", json: Fixture.pod("p"))
            let pod = try await client.send(
                "DELETE", "/api/v1/namespaces/default/pods/p",
                json: ["kind": "DeleteOptions", "apiVersion": "v1", "propagationPolicy": "Background"])
            #expect(pod.status == 200 && pod.json.str("kind") == "Pod")
            _ = try await client.send("POST", Fixture.widgetsPath, json: Fixture.widget("w"))
            let widget = try await client.send("DELETE", Fixture.widgetsPath + "/w")
            #expect(widget.json.str("kind") == "Status" && widget.json.str("status") == "Success")
            #expect(widget.json.str("details", "name") == "w")
            let gone = try await client.send("DELETE", Fixture.widgetsPath + "/w")
            #expect(gone.status == 404 && gone.json.str("message") == "widgets.test.kubesim.io \"w\" not found")
        }
    }

    @Test func deleteCollectionHonoursTheSelector() async throws {
        try await withSim { sim, client in
            for (name, app) in [("a", "x"), ("b", "x"), ("c", "y")] {
                _ = try await client.send(
                    "POST", "/api/v1/namespaces/default/pods", json: Fixture.pod(name, labels: ["app": app]))
            }
            #expect(
                try await client.send("DELETE", "/api/v1/namespaces/default/pods?labelSelector=app%3Dx").status == 200)
            #expect(try sim.store.list(.pods, namespace: "default").items.map(\.name) == ["c"])
        }
    }
}
