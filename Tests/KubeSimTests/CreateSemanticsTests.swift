import KubeJSON
import Testing

@testable import KubeSim

@Suite struct CreateSemanticsTests {
    @Test func createAssignsSystemMetadataWithMonotonicResourceVersions() async throws {
        try await withSim { sim, client in
            let a = try await client.send("POST", "/api/v1/namespaces/default/pods", json: Fixture.pod("a"))
            let b = try await client.send("POST", "/api/v1/namespaces/default/pods", json: Fixture.pod("b"))
            #expect(a.status == 201)
            let rvA = try #require(Int64(a.json.resourceVersionString))
            let rvB = try #require(Int64(b.json.resourceVersionString))
            #expect(rvB > rvA)
            #expect(sim.store.resourceVersion == rvB)
            #expect(a.json.uid.count == 36)
            #expect(a.json.uid != b.json.uid)
            #expect(a.json.str("metadata", "creationTimestamp")?.hasSuffix("Z") == true)
            #expect(a.json.str("metadata", "namespace") == "default")
            #expect(a.json.str("status", "phase") == "Pending")
            #expect(a.json.str("spec", "schedulerName") == "default-scheduler")
        }
    }

    @Test func generateNameAddsARandomSuffix() throws {
        let store = try fixtureStore()
        let pod = Fixture.pod("").removingName(generateName: "job-")
        let first = try store.create(.pods, namespace: "default", object: pod)
        let second = try store.create(.pods, namespace: "default", object: pod)
        #expect(first.name.hasPrefix("job-") && first.name.count == 9)
        #expect(first.name != second.name)
    }

    @Test(arguments: ["Bad_Name", "-leading", "trailing-", "UPPER", String(repeating: "a", count: 254)])
    func invalidNamesAreRejected(_ name: String) throws {
        let store = try fixtureStore()
        let error = try #require(throws: KubeAPIError.self) {
            try store.create(.pods, namespace: "default", object: Fixture.pod(name))
        }
        #expect(error.code == 422)
        #expect(error.reason == "Invalid")
        #expect(error.causes.first?.field == "metadata.name")
        #expect(error.message.hasPrefix("Pod \"\(name)\" is invalid: metadata.name: Invalid value"))
    }

    @Test func namespaceNamesMustBeDNSLabels() throws {
        let store = try fixtureStore()
        #expect(throws: KubeAPIError.self) {
            try store.create(.namespaces, namespace: nil, object: ["metadata": ["name": "a.b"]])
        }
        #expect(
            try store.create(.namespaces, namespace: nil, object: ["metadata": ["name": "team-a"]]).str(
                "status", "phase") == "Active")
    }

    @Test func duplicateNameIsAlreadyExists() async throws {
        try await withSim { _, client in
            _ = try await client.send("POST", "/api/v1/namespaces/default/pods", json: Fixture.pod("dup"))
            let again = try await client.send("POST", "/api/v1/namespaces/default/pods", json: Fixture.pod("dup"))
            #expect(again.status == 409)
            #expect(again.json.str("reason") == "AlreadyExists")
            #expect(again.json.str("message") == "pods \"dup\" already exists")
            #expect(again.json.str("details", "kind") == "pods")
        }
    }

    @Test func missingNamespaceIsNotFoundAndTerminatingNamespaceIsForbidden() throws {
        let store = try fixtureStore()
        let missing = try #require(throws: KubeAPIError.self) {
            try store.create(.pods, namespace: "nope", object: Fixture.pod("p"))
        }
        #expect(missing.code == 404 && missing.message == "namespaces \"nope\" not found")
        try store.create(.namespaces, namespace: nil, object: ["metadata": ["name": "going"]])
        try store.create(.pods, namespace: "going", object: Fixture.pod("held", finalizers: ["example.com/hold"]))
        try store.delete(.namespaces, namespace: nil, name: "going")
        let forbidden = try #require(throws: KubeAPIError.self) {
            try store.create(.pods, namespace: "going", object: Fixture.pod("late"))
        }
        #expect(forbidden.code == 403 && forbidden.reason == "Forbidden")
        #expect(forbidden.message.contains("because it is being terminated"))
    }

    @Test func namespaceInBodyMustMatchTheURL() async throws {
        try await withSim { _, client in
            var pod = Fixture.pod("x")
            pod.set(["metadata", "namespace"], "kube-system")
            let response = try await client.send("POST", "/api/v1/namespaces/default/pods", json: pod)
            #expect(response.status == 400)
            #expect(response.json.str("reason") == "BadRequest")
        }
    }

    @Test func podsGetDefaultNotReadyAndUnreachableTolerations() throws {
        let store = try fixtureStore()
        let pod = try store.create(.pods, namespace: "default", object: Fixture.pod("p"))
        let tolerations = pod[path: ["spec", "tolerations"]]?.arrayValue ?? []
        #expect(tolerations.map { $0["key"] } == ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"])
        #expect(tolerations.allSatisfy { $0["tolerationSeconds"] == 300 && $0["effect"] == "NoExecute" })
    }

    @Test func emptyLabelMapsAreDroppedAndCoreEventNamesAreFree() throws {
        let store = try fixtureStore()
        #expect(
            try store.create(.pods, namespace: "default", object: Fixture.pod("p"))[path: ["metadata", "labels"]] == nil
        )
        let event: JSONValue = [
            "metadata": ["name": "Not_A_DNS_Name.123"], "reason": "X", "involvedObject": ["kind": "Pod", "name": "p"],
        ]
        #expect(try store.create(.events, namespace: "default", object: event).name == "Not_A_DNS_Name.123")
        #expect(throws: KubeAPIError.self) {
            try store.create(.events, namespace: "default", object: ["metadata": ["name": "a/b"]])
        }
    }

    @Test func podValidationReportsFieldCauses() throws {
        let store = try fixtureStore()
        var pod = Fixture.pod("p")
        pod.set(["spec", "containers"], [["name": "main"]])
        pod.set(["spec", "restartPolicy"], "Sometimes")
        let error = try #require(throws: KubeAPIError.self) {
            try store.create(.pods, namespace: "default", object: pod)
        }
        #expect(Set(error.causes.map(\.field)) == ["spec.containers[0].image", "spec.restartPolicy"])
        #expect(error.causes.first { $0.field == "spec.restartPolicy" }?.reason == "FieldValueNotSupported")
    }
}

extension JSONValue {
    func removingName(generateName: String) -> JSONValue {
        var copy = self
        copy.set(["metadata", "name"], nil)
        copy.set(["metadata", "generateName"], .string(generateName))
        return copy
    }
}
