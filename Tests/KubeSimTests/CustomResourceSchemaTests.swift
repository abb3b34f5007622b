import Foundation
import KubeJSON
import Testing

@testable import KubeSim

@Suite struct CustomResourceSchemaTests {
    @Test func unknownFieldsArePrunedAndPreservedWhereDeclared() throws {
        let store = try fixtureStore()
        let spec: JSONValue = [
            "image": "busybox", "bogus": 1, "extra": ["anything": ["deep": true]],
            "template": [
                "apiVersion": "v1", "kind": "Pod", "metadata": ["name": "t", "junk": 1], "spec": ["a": "x", "b": "y"],
            ],
            "labels": ["k": "v"],
        ]
        var widget = Fixture.widget("w", spec: spec)
        widget["topLevelJunk"] = "x"
        widget.set(["metadata", "notAMetaField"], "x")
        let stored = try store.create(Fixture.widgets, namespace: "default", object: widget)
        #expect(stored[path: ["spec", "bogus"]] == nil)
        #expect(stored["topLevelJunk"] == nil)
        #expect(stored[path: ["metadata", "notAMetaField"]] == nil)
        #expect(stored[path: ["spec", "extra", "anything", "deep"]] == true)
        #expect(stored[path: ["spec", "template", "kind"]] == "Pod")
        #expect(stored[path: ["spec", "template", "metadata", "junk"]] == nil)
        #expect(stored[path: ["spec", "template", "spec", "b"]] == nil)
        #expect(stored[path: ["spec", "template", "spec", "a"]] == "x")
        #expect(stored[path: ["spec", "labels", "k"]] == "v")
    }

    @Test func defaultsAreApplied() throws {
        let store = try fixtureStore()
        let stored = try store.create(Fixture.widgets, namespace: "default", object: Fixture.widget("w"))
        #expect(stored[path: ["spec", "size"]] == 3)
        let nulled = try store.create(
            Fixture.widgets, namespace: "default", object: Fixture.widget("n", spec: ["image": "x", "size": nil]))
        #expect(nulled[path: ["spec", "size"]] == 3)
    }

    /// One row: a spec, the field at fault, its cause reason, and the rendered error.
    struct InvalidCase: Sendable, CustomTestStringConvertible {
        var spec: JSONValue
        var field: String
        var reason: String
        var text: String
        var testDescription: String { reason + " " + field }
        init(_ spec: JSONValue, _ field: String, _ reason: String, _ text: String) {
            (self.spec, self.field, self.reason, self.text) = (spec, field, reason, text)
        }
    }

    static let invalidCases: [InvalidCase] = [
        InvalidCase(.object(["size": 3]), "spec.image", "FieldValueRequired", "spec.image: Required value"),
        InvalidCase(
            ["image": "x", "size": "big"], "spec.size", "FieldValueInvalid",
            "spec.size: Invalid value: \"string\": spec.size in body must be of type integer: \"string\""),
        InvalidCase(
            ["image": "x", "color": "pink"], "spec.color", "FieldValueNotSupported",
            "spec.color: Unsupported value: \"pink\": supported values: \"red\", \"green\", \"blue\""),
        InvalidCase(
            ["image": "x", "name": "ABC"], "spec.name", "FieldValueInvalid",
            "spec.name: Invalid value: \"ABC\": spec.name in body should match '^[a-z]+$'"),
        InvalidCase(
            ["image": "x", "name": "abcdefghij"], "spec.name", "FieldValueTooLong",
            "spec.name: Too long: may not be longer than 8"),
        InvalidCase(
            ["image": "x", "size": 0], "spec.size", "FieldValueInvalid",
            "spec.size: Invalid value: 0: spec.size in body should be greater than or equal to 1"),
        InvalidCase(
            ["image": "x", "size": 11], "spec.size", "FieldValueInvalid",
            "spec.size: Invalid value: 11: spec.size in body should be less than or equal to 10"),
        InvalidCase(
            ["image": "", "port": true], "spec.image", "FieldValueInvalid",
            "spec.image: Invalid value: \"\": spec.image in body should be at least 1 chars long"),
    ]

    @Test(arguments: invalidCases)
    func invalidValuesGet422WithFieldCauses(_ row: InvalidCase) throws {
        let (spec, field, reason, text) = (row.spec, row.field, row.reason, row.text)
        let store = try fixtureStore()
        let error = try #require(throws: KubeAPIError.self) {
            try store.create(Fixture.widgets, namespace: "default", object: Fixture.widget("w", spec: spec))
        }
        #expect(error.code == 422)
        #expect(error.kind == "Widget" && error.group == "test.kubesim.io")
        let cause = try #require(error.causes.first { $0.field == field })
        #expect(cause.reason == reason)
        #expect(error.message.contains(text), "\(error.message)")
        #expect(error.message.hasPrefix("Widget.test.kubesim.io \"w\" is invalid: "))
    }

    @Test func intOrStringAcceptsBoth() throws {
        let store = try fixtureStore()
        #expect(
            try store.create(
                Fixture.widgets, namespace: "default", object: Fixture.widget("a", spec: ["image": "x", "port": 80]))[
                    path: ["spec", "port"]] == 80)
        #expect(
            try store.create(
                Fixture.widgets, namespace: "default",
                object: Fixture.widget("b", spec: ["image": "x", "port": "http"]))[path: ["spec", "port"]] == "http")
        #expect(throws: KubeAPIError.self) {
            try store.create(
                Fixture.widgets, namespace: "default", object: Fixture.widget("c", spec: ["image": "x", "port": true]))
        }
    }

    @Test func strictFieldValidationRejectsUnknownFields() async throws {
        try await withSim { _, client in
            let widget = Fixture.widget("w", spec: ["image": "x", "bogus": 1])
            let strict = try await client.send("POST", Fixture.widgetsPath + "?fieldValidation=Strict", json: widget)
            #expect(strict.status == 400)
            #expect(
                strict.json.str("message")?.hasSuffix("strict decoding error: unknown field \"spec.bogus\"") == true)
            #expect(try await client.send("POST", Fixture.widgetsPath, json: widget).status == 201)
        }
    }
}

/// The real OMJob CRD from deploy/crds: an unknown status field disappears, as on a real API server.
@Suite struct OMJobCRDTests {
    static let omjobs = GroupResource(group: "pipelines.openmetadata.org", resource: "omjobs")

    static func repositoryCRDs() -> String? {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        let path = url.appendingPathComponent("deploy/crds").path
        return FileManager.default.fileExists(atPath: path + "/omjob.yaml") ? path : nil
    }

    static let omjob: JSONValue = [
        "apiVersion": "pipelines.openmetadata.org/v1", "kind": "OMJob", "metadata": ["name": "run-1"],
        "spec": [
            "mainPodSpec": [
                "image": "openmetadata/ingestion:1.5", "serviceAccountName": "ingestion",
                "command": ["python", "main.py"],
            ]
        ],
    ]

    @Test func unknownStatusFieldOfAnOMJobIsPruned() throws {
        let directory = try #require(Self.repositoryCRDs(), "deploy/crds/omjob.yaml not found")
        let store = ObjectStore()
        try CRDLoader.load(directory: directory, into: store)
        let created = try store.create(Self.omjobs, namespace: "default", object: Self.omjob)
        #expect(created[path: ["spec", "ttlSecondsAfterFinished"]] == 86400)
        var withStatus = created
        withStatus["status"] = ["phase": "Running", "mainPodName": "run-1-main", "notInTheCRD": "lost"]
        let updated = try store.update(
            Self.omjobs, namespace: "default", name: "run-1", object: withStatus, subresource: .status)
        #expect(updated.str("status", "phase") == "Running")
        #expect(updated.str("status", "mainPodName") == "run-1-main")
        #expect(updated[path: ["status", "notInTheCRD"]] == nil)
    }

    @Test func omjobWithoutRequiredPodFieldsIsInvalidAndShortNamesAreServed() throws {
        let directory = try #require(Self.repositoryCRDs(), "deploy/crds/omjob.yaml not found")
        let store = ObjectStore()
        try CRDLoader.load(directory: directory, into: store)
        var bad = Self.omjob
        bad.set(["spec", "mainPodSpec", "image"], nil)
        let error = try #require(throws: KubeAPIError.self) {
            try store.create(Self.omjobs, namespace: "default", object: bad)
        }
        #expect(error.causes.map(\.field) == ["spec.mainPodSpec.image"])
        let types = store.resourceTypes
        #expect(types.first { $0.plural == "omjobs" }?.shortNames == ["omj"])
        #expect(types.first { $0.plural == "cronomjobs" }?.shortNames == ["comj"])
        #expect(types.first { $0.plural == "omjobs" }?.hasStatusSubresource == true)
    }
}
