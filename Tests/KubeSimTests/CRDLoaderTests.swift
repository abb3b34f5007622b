import Foundation
import KubeJSON
import Testing

@testable import KubeSim

@Suite struct CRDLoaderTests {
    @Test func loadsEveryCRDOfADirectory() throws {
        let store = ObjectStore()
        try CRDLoader.load(directory: Fixture.crdDirectory, into: store)
        #expect(store.resourceTypes.contains { $0.kind == "Widget" && $0.namespaced && $0.hasStatusSubresource })
        #expect(
            try store.get(.customResourceDefinitions, namespace: nil, name: "widgets.test.kubesim.io").str(
                "spec", "group") == "test.kubesim.io")
    }

    @Test func badFileIsASetupErrorNamingTheFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "kubesim-crd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("broken.yaml")
        try "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: x}\nspec: [unclosed"
            .write(to: file, atomically: true, encoding: .utf8)
        let error = try #require(throws: KubeSimSetupError.self) {
            try CRDLoader.load(directory: directory.path, into: ObjectStore())
        }
        #expect(error.description.contains("broken.yaml"))
    }

    @Test func missingDirectoryIsASetupError() {
        #expect(throws: KubeSimSetupError.self) {
            try CRDLoader.load(directory: "/nonexistent/crds", into: ObjectStore())
        }
    }
}
