import KubeJSON
import Testing

@testable import KubeSim

@Suite struct DiscoveryTests {
    @Test func versionAndCoreGroup() async throws {
        try await withSim { _, client in
            #expect(try await client.send("GET", "/version").json.str("major") == "1")
            let api = try await client.send("GET", "/api").json
            #expect(api["versions"] == ["v1"])
            let core = try await client.send("GET", "/api/v1").json
            let names = core["resources"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
            for expected in ["pods", "pods/status", "pods/log", "pods/eviction", "namespaces", "events", "nodes"] {
                #expect(names.contains(expected), "missing \(expected)")
            }
        }
    }

    @Test func groupsIncludeBuiltinsAndLoadedCRDs() async throws {
        try await withSim { _, client in
            let groups =
                try await client.send("GET", "/apis").json["groups"]?.arrayValue?.compactMap { $0["name"]?.stringValue }
                ?? []
            #expect(
                Set(groups).isSuperset(of: [
                    "events.k8s.io", "coordination.k8s.io", "apiextensions.k8s.io", "test.kubesim.io",
                ]))
            let widgets = try await client.send("GET", "/apis/test.kubesim.io/v1").json
            let resource = widgets["resources"]?.arrayValue?.first { $0["name"] == "widgets" }
            #expect(resource?["kind"] == "Widget")
            #expect(resource?["shortNames"] == ["wdg"])
            #expect(
                try await client.send("GET", "/apis/test.kubesim.io").json.str("preferredVersion", "version") == "v1")
        }
    }

    @Test func crdCreatedThroughTheAPIIsServedAndRemovedWithItsObjects() async throws {
        try await withSim { sim, client in
            let crd: JSONValue = [
                "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
                "metadata": ["name": "gadgets.example.com"],
                "spec": [
                    "group": "example.com", "scope": "Cluster", "names": ["kind": "Gadget", "plural": "gadgets"],
                    "versions": [
                        [
                            "name": "v1alpha1", "served": true, "storage": true,
                            "schema": [
                                "openAPIV3Schema": ["type": "object", "x-kubernetes-preserve-unknown-fields": true]
                            ],
                        ]
                    ],
                ],
            ]
            #expect(try await client.send("GET", "/apis/example.com/v1alpha1").status == 404)
            let created = try await client.send(
                "POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", json: crd)
            #expect(created.status == 201)
            #expect(created.json["status"]?["conditions"]?.arrayValue?.contains { $0["type"] == "Established" } == true)
            #expect(try await client.send("GET", "/apis/example.com/v1alpha1").status == 200)
            let gadget: JSONValue = [
                "apiVersion": "example.com/v1alpha1", "kind": "Gadget", "metadata": ["name": "g"], "anything": 1,
            ]
            #expect(
                try await client.send("POST", "/apis/example.com/v1alpha1/gadgets", json: gadget).json["anything"] == 1)
            #expect(
                try await client.send(
                    "DELETE", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gadgets.example.com"
                ).status == 200)
            #expect(try await client.send("GET", "/apis/example.com/v1alpha1/gadgets").status == 404)
            #expect(sim.store.resourceTypes.contains { $0.group == "example.com" } == false)
        }
    }

    @Test func crdWithMismatchedNameIsInvalid() async throws {
        try await withSim { _, client in
            let crd: JSONValue = [
                "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
                "metadata": ["name": "wrong.example.com"],
                "spec": [
                    "group": "example.com", "scope": "Namespaced", "names": ["kind": "Gadget", "plural": "gadgets"],
                    "versions": [["name": "v1", "served": true, "storage": true]],
                ],
            ]
            let response = try await client.send(
                "POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", json: crd)
            #expect(response.status == 422)
            #expect(response.json.str("reason") == "Invalid")
            #expect(response.json["details"]?["causes"]?.arrayValue?.first?["field"] == "metadata.name")
        }
    }

    @Test func openAPIv3AdvertisesFieldValidationPerKind() async throws {
        try await withSim { _, client in
            let root = try await client.send("GET", "/openapi/v3").json
            let url = try #require(root["paths"]?["apis/test.kubesim.io/v1"]?["serverRelativeURL"]?.stringValue)
            let document = try await client.send("GET", url).json
            let patch = document["paths"]?["/apis/test.kubesim.io/v1/namespaces/{namespace}/widgets/{name}"]?["patch"]
            #expect(patch?["x-kubernetes-group-version-kind"]?["kind"] == "Widget")
            #expect(patch?["parameters"]?.arrayValue?.contains { $0["name"] == "fieldValidation" } == true)
        }
    }
}

/// `kubectl auth can-i` and the operator's start-up permission review: kubesim's one identity is
/// allowed everything, answered in the shape of the real server.
@Suite struct SelfSubjectAccessReviewTests {
    @Test func everyPermissionIsAllowed() async throws {
        try await withSim { _, client in
            let review: JSONValue = [
                "apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectAccessReview",
                "spec": ["resourceAttributes": ["verb": "list", "resource": "nodes"]],
            ]
            let answer = try await client.send(
                "POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", json: review)
            #expect(answer.status == 201)
            #expect(answer.json["status"]?["allowed"]?.boolValue == true)
            #expect(answer.json["spec"]?["resourceAttributes"]?["resource"]?.stringValue == "nodes")
        }
    }
}
