import Foundation
import KubeJSON
import KubeSim
import Synchronization
import Testing

@testable import KubeAPI
@testable import Models

/// Metadata-only informers (`PartialObjectMetadata`) against kubesim's list and watch: the
/// requests carry the metadata media types, and add, update (a status write too) and delete
/// reach the handlers with metadata and nothing else.
@Suite(.timeLimit(.minutes(2))) struct MetadataOnlyInformerTests {
    static let pods = GroupResource(group: "", resource: "pods")

    static func pod(_ name: String, labels: [String: JSONValue]) -> JSONValue {
        [
            "apiVersion": "v1", "kind": "Pod",
            "metadata": ["name": .string(name), "labels": .object(labels), "finalizers": ["example.com/keep"]],
            "spec": ["containers": [["name": "main", "image": "busybox"]]],
        ]
    }

    /// Accept headers of the list and watch requests kubesim saw.
    final class Accepts: Sendable {
        let seen = Mutex<[(watch: Bool, accept: String)]>([])
        func record(_ request: APIRequest) {
            guard request.method == "GET", request.path.hasSuffix("/pods") else { return }
            seen.withLock { $0.append((request.query["watch"] != nil, request.headers["accept"] ?? "")) }
        }
    }

    @Test func podsAsPartialObjectMetadataThroughListAndWatch() async throws {
        let harness = try await SimHarness()
        let store = harness.sim.store
        try store.create(Self.pods, namespace: "default", object: Self.pod("listed", labels: ["app": "x"]))
        try store.create(Self.pods, namespace: "default", object: Self.pod("other", labels: ["app": "y"]))
        let accepts = Accepts()
        harness.sim.interceptor = {
            accepts.record($0)
            return nil
        }
        let client = harness.client()
        let notes = Mutex<[String]>([])
        let informer = Informer<PartialObjectMetadata<Pod>>(
            client: client, namespace: "default", labelSelector: "app=x", metadataOnly: true,
            handlers: .init(
                added: { o in notes.withLock { $0.append("add \(o.metadata.name ?? "")") } },
                updated: { _, o in notes.withLock { $0.append("update \(o.metadata.labels?["v"] ?? "-")") } },
                deleted: { o in notes.withLock { $0.append("delete \(o.metadata.name ?? "")") } }))
        let running = Task { await informer.run() }
        await informer.waitUntilSynced()
        let listed = await informer.get(ObjectKey(namespace: "default", name: "listed"))
        #expect(listed?.metadata.finalizers == ["example.com/keep"])
        #expect(listed?.metadata.uid != nil)
        #expect(await informer.store.count == 1)

        for _ in 0..<1000 where !accepts.seen.withLock({ $0.contains { $0.watch } }) {
            try await Task.sleep(for: .milliseconds(5))
        }
        try store.create(Self.pods, namespace: "default", object: Self.pod("watched", labels: ["app": "x"]))
        try store.patch(
            Self.pods, namespace: "default", name: "watched", type: .merge,
            patch: ["metadata": ["labels": ["v": "2"]]])
        try store.patch(
            Self.pods, namespace: "default", name: "watched", type: .merge, patch: ["status": ["phase": "Running"]],
            subresource: .status)
        try store.patch(
            Self.pods, namespace: "default", name: "watched", type: .merge,
            patch: ["metadata": ["labels": ["app": "z"]]])
        let expected = ["add listed", "add watched", "update 2", "update 2", "delete watched"]
        for _ in 0..<1000 where notes.withLock({ $0 }) != expected { try await Task.sleep(for: .milliseconds(5)) }
        #expect(notes.withLock { $0 } == expected)

        let seen = accepts.seen.withLock { $0 }
        #expect(seen.first.map { !$0.watch && $0.accept == MetadataOnly.listAccept } == true, "\(seen)")
        #expect(seen.contains { $0.watch && $0.accept == MetadataOnly.watchAccept }, "\(seen)")
        #expect(seen.allSatisfy { $0.accept == ($0.watch ? MetadataOnly.watchAccept : MetadataOnly.listAccept) })
        running.cancel()
        try await harness.finish(client)
    }

    /// A pod view read from a metadata-only answer keeps the kept metadata and has no spec or status.
    @Test func aPodViewReadFromPartialObjectMetadata() async throws {
        let harness = try await SimHarness()
        try harness.sim.store.create(
            Self.pods, namespace: "default",
            object: Self.pod("p", labels: ["omjob.pipelines.openmetadata.org/name": "run", "app": "x"]))
        let client = harness.client()
        let informer = Informer<PodView>(client: client, namespace: "default", metadataOnly: true, handlers: .init())
        let running = Task { await informer.run() }
        await informer.waitUntilSynced()
        let pod = await informer.get(ObjectKey(namespace: "default", name: "p"))
        #expect(pod?.metadata.labels == ["omjob.pipelines.openmetadata.org/name": "run"])
        #expect(pod?.metadata.finalizers == ["example.com/keep"])
        #expect(pod?.spec == nil && pod?.status == nil)
        running.cancel()
        try await harness.finish(client)
    }
}
