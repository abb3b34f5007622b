import KubeJSON
import Testing

@testable import KubeSim

@Suite struct PatchTests {
    @Test func mergePatchMergesObjectsAndNullDeletes() throws {
        let store = try fixtureStore()
        try store.create(
            Fixture.widgets, namespace: "default", object: Fixture.widget("w", spec: ["image": "a", "color": "red"]))
        let patched = try store.patch(
            Fixture.widgets, namespace: "default", name: "w", type: .merge,
            patch: ["spec": ["image": "b", "color": nil], "metadata": ["labels": ["x": "y"]]])
        #expect(patched.str("spec", "image") == "b")
        #expect(patched[path: ["spec", "color"]] == nil)
        #expect(patched.labels == ["x": "y"])
        #expect(patched.generation == 2)
    }

    @Test func jsonPatchAppliesOperationsAndFailedTestIs422() throws {
        let store = try fixtureStore()
        try store.create(.pods, namespace: "default", object: Fixture.pod("p", labels: ["keep": "me"]))
        let patched = try store.patch(
            .pods, namespace: "default", name: "p", type: .json,
            patch: [
                ["op": "add", "path": "/metadata/labels/a~1b", "value": "1"],
                ["op": "replace", "path": "/spec/containers/0/image", "value": "busybox:1.37"],
                ["op": "test", "path": "/spec/restartPolicy", "value": "Never"],
                ["op": "copy", "from": "/metadata/labels/a~1b", "path": "/metadata/labels/c"],
                ["op": "remove", "path": "/metadata/labels/c"],
            ])
        #expect(patched.labels == ["a/b": "1", "keep": "me"])
        #expect(patched[path: ["spec", "containers"]]?.arrayValue?[0]["image"] == "busybox:1.37")
        let error = try #require(throws: KubeAPIError.self) {
            try store.patch(
                .pods, namespace: "default", name: "p", type: .json,
                patch: [["op": "test", "path": "/spec/restartPolicy", "value": "Always"]])
        }
        #expect(error.code == 422)
        let missing = try #require(throws: KubeAPIError.self) {
            try store.patch(
                .pods, namespace: "default", name: "p", type: .json,
                patch: [["op": "remove", "path": "/metadata/nothing"]])
        }
        #expect(missing.code == 422)
    }

    @Test func strategicMergePatchMergesListsByKey() throws {
        // Pod specs are immutable in the store, so the list merge itself is checked on the function.
        let pod = Fixture.pod("p")
        let merged = try StrategicMergePatch.apply(
            [
                "spec": [
                    "containers": [
                        [
                            "name": "main",
                            "env": [
                                ["name": "B", "value": "20"], ["name": "C", "value": "3"],
                                ["name": "A", "$patch": "delete"],
                            ],
                        ],
                        ["name": "side", "image": "envoy"],
                    ]
                ]
            ], to: pod, path: [])
        let containers = try #require(merged[path: ["spec", "containers"]]?.arrayValue)
        // New items first, then the existing ones (strategicpatch's normalizeElementOrder).
        #expect(containers.map { $0["name"] } == ["side", "main"])
        #expect(containers[1]["command"] == ["sh", "-c", "true"])
        #expect(containers[1]["env"] == [["name": "C", "value": "3"], ["name": "B", "value": "20"]])
        let replaced = try StrategicMergePatch.apply(
            ["spec": ["containers": [["name": "only", "image": "x"], ["$patch": "replace"]]]], to: pod, path: [])
        #expect(replaced[path: ["spec", "containers"]] == [["name": "only", "image": "x"]])
    }

    @Test func strategicMergePatchOnAStoredPodKeepsFinalizersAsASet() throws {
        let store = try fixtureStore()
        try store.create(.pods, namespace: "default", object: Fixture.pod("p", finalizers: ["a.io/one"]))
        let patched = try store.patch(
            .pods, namespace: "default", name: "p", type: .strategicMerge,
            patch: [
                "metadata": ["finalizers": ["b.io/two"], "labels": ["l": "v"]],
                "spec": ["containers": [["name": "main", "image": "busybox:1.37"]]],
            ])
        #expect(patched.finalizers == ["b.io/two", "a.io/one"])
        let container = try #require(patched[path: ["spec", "containers"]]?.arrayValue?.first)
        #expect(container["image"] == "busybox:1.37")
        #expect(container["env"]?.arrayValue?.count == 2)
        let removed = try store.patch(
            .pods, namespace: "default", name: "p", type: .strategicMerge,
            patch: ["metadata": ["$deleteFromPrimitiveList/finalizers": ["a.io/one"]]])
        #expect(removed.finalizers == ["b.io/two"])
    }

    @Test func strategicMergePatchMergesStatusConditionsByType() throws {
        let store = try fixtureStore()
        try store.create(.pods, namespace: "default", object: Fixture.pod("p"))
        let condition: (String, String) -> JSONValue = { ["type": .string($0), "status": .string($1)] }
        _ = try store.patch(
            .pods, namespace: "default", name: "p", type: .strategicMerge,
            patch: ["status": ["conditions": [condition("PodScheduled", "True"), condition("Ready", "False")]]],
            subresource: .status)
        let patched = try store.patch(
            .pods, namespace: "default", name: "p", type: .strategicMerge,
            patch: ["status": ["conditions": [condition("Ready", "True")]]], subresource: .status)
        #expect(
            patched[path: ["status", "conditions"]] == [condition("PodScheduled", "True"), condition("Ready", "True")])
    }

    @Test func strategicMergeOnCustomResourceAndServerSideApplyAre415() async throws {
        try await withSim { _, client in
            _ = try await client.send("POST", Fixture.widgetsPath, json: Fixture.widget("w"))
            let smp = try await client.send(
                "PATCH", Fixture.widgetsPath + "/w", json: ["spec": ["size": 2]],
                contentType: "application/strategic-merge-patch+json")
            #expect(smp.status == 415)
            #expect(smp.json.str("reason") == "UnsupportedMediaType")
            let apply = try await client.send(
                "PATCH", Fixture.widgetsPath + "/w", body: Array("spec: {}".utf8),
                contentType: "application/apply-patch+yaml")
            #expect(apply.status == 415)
            let merge = try await client.send(
                "PATCH", Fixture.widgetsPath + "/w", json: ["spec": ["size": 2]],
                contentType: "application/merge-patch+json")
            #expect(merge.status == 200)
            #expect(merge.json[path: ["spec", "size"]] == 2)
        }
    }

    @Test func patchCarryingAStaleResourceVersionIsConflict() async throws {
        try await withSim { _, client in
            let created = try await client.send("POST", Fixture.widgetsPath, json: Fixture.widget("w")).json
            _ = try await client.send(
                "PATCH", Fixture.widgetsPath + "/w", json: ["spec": ["size": 2]],
                contentType: "application/merge-patch+json")
            let stale = try await client.send(
                "PATCH", Fixture.widgetsPath + "/w/status",
                json: [
                    "metadata": ["resourceVersion": .string(created.resourceVersionString)], "status": ["phase": "X"],
                ],
                contentType: "application/merge-patch+json")
            #expect(stale.status == 409)
            #expect(stale.json.str("reason") == "Conflict")
        }
    }
}
