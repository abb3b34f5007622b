import KubeJSON
import Testing

@testable import KubeSim

@Suite struct ListTests {
    static func populated() throws -> ObjectStore {
        let store = try fixtureStore()
        try store.create(.namespaces, namespace: nil, object: ["metadata": ["name": "other"]])
        try store.create(
            .pods, namespace: "default", object: Fixture.pod("a", labels: ["app": "web", "tier": "front"], node: "n1"))
        try store.create(.pods, namespace: "default", object: Fixture.pod("b", labels: ["app": "web", "tier": "back"]))
        try store.create(.pods, namespace: "default", object: Fixture.pod("c", labels: ["app": "db"]))
        try store.create(.pods, namespace: "other", object: Fixture.pod("d", labels: ["app": "web"]))
        try store.patch(
            .pods, namespace: "default", name: "b", type: .merge, patch: ["status": ["phase": "Running"]],
            subresource: .status)
        return store
    }

    @Test(arguments: [
        ("app=web", ["a", "b", "d"]), ("app!=web", ["c"]), ("tier in (front,back)", ["a", "b"]),
        ("tier notin (front)", ["b", "c", "d"]), ("tier", ["a", "b"]), ("!tier", ["c", "d"]),
        ("app=web,tier=back", ["b"]),
    ])
    func labelSelectors(_ selector: String, _ expected: [String]) throws {
        let result = try Self.populated().list(.pods, namespace: nil, options: .init(labelSelector: selector))
        #expect(result.items.map(\.name) == expected)
    }

    @Test(arguments: [
        ("metadata.name=a", ["a"]), ("metadata.namespace=other", ["d"]), ("status.phase=Running", ["b"]),
        ("status.phase!=Running", ["a", "c", "d"]), ("spec.nodeName=n1", ["a"]), ("spec.nodeName=", ["b", "c", "d"]),
    ])
    func fieldSelectors(_ selector: String, _ expected: [String]) throws {
        let result = try Self.populated().list(.pods, namespace: nil, options: .init(fieldSelector: selector))
        #expect(result.items.map(\.name) == expected)
    }

    @Test func namespaceScopesTheList() throws {
        #expect(try Self.populated().list(.pods, namespace: "other").items.map(\.name) == ["d"])
    }

    @Test func limitAndContinuePageThroughEverythingOnce() throws {
        let store = try Self.populated()
        var names: [String] = []
        var token: String?
        var pages = 0
        repeat {
            let page = try store.list(.pods, namespace: nil, options: .init(limit: 3, continueToken: token))
            names += page.items.map(\.name)
            if page.continueToken != nil { #expect(page.remainingItemCount == 1) }
            token = page.continueToken
            pages += 1
        } while token != nil
        #expect(
            names
                == ["a", "b", "c", "d"].sorted {
                    ($0 == "d" ? "other/d" : "default/\($0)") < ($1 == "d" ? "other/d" : "default/\($1)")
                })
        #expect(pages == 2)
    }

    @Test func continueTokenOlderThanTheHistoryIsExpired() throws {
        let store = try fixtureStore(historyLimit: 2)
        for name in ["a", "b", "c"] { try store.create(.pods, namespace: "default", object: Fixture.pod(name)) }
        let page = try store.list(.pods, namespace: nil, options: .init(limit: 1))
        for name in ["d", "e", "f"] { try store.create(.pods, namespace: "default", object: Fixture.pod(name)) }
        let error = try #require(throws: KubeAPIError.self) {
            try store.list(.pods, namespace: nil, options: .init(limit: 1, continueToken: page.continueToken))
        }
        #expect(error.code == 410 && error.reason == "Expired")
    }

    @Test func resourceVersionSemantics() throws {
        let store = try Self.populated()
        let current = store.resourceVersion
        #expect(try store.list(.pods, namespace: nil, options: .init(resourceVersion: "0")).resourceVersion == current)
        let future = try #require(throws: KubeAPIError.self) {
            try store.list(.pods, namespace: nil, options: .init(resourceVersion: String(current + 100)))
        }
        #expect(future.code == 504 && future.reason == "Timeout")
        // b's status patch was the last write: at current-1 b is still Pending.
        let exact = try store.list(
            .pods, namespace: nil, options: .init(resourceVersion: String(current - 1), resourceVersionMatch: "Exact"))
        #expect(exact.resourceVersion == current - 1)
        #expect(exact.items.first { $0.name == "b" }?.str("status", "phase") == "Pending")
    }

    @Test func pagesAreAConsistentSnapshot() throws {
        let store = try Self.populated()
        let first = try store.list(.pods, namespace: nil, options: .init(limit: 2))
        try store.create(.pods, namespace: "default", object: Fixture.pod("bb"))
        try store.delete(.pods, namespace: "default", name: "c")
        let rest = try store.list(.pods, namespace: nil, options: .init(continueToken: first.continueToken))
        #expect((first.items + rest.items).map(\.name) == ["a", "b", "c", "d"])
        #expect(rest.resourceVersion == first.resourceVersion)
    }

    @Test func exactListOlderThanTheHistoryIsExpired() throws {
        let store = try fixtureStore(historyLimit: 1)
        for name in ["a", "b", "c"] { try store.create(.pods, namespace: "default", object: Fixture.pod(name)) }
        let error = try #require(throws: KubeAPIError.self) {
            try store.list(
                .pods, namespace: nil,
                options: .init(resourceVersion: String(store.resourceVersion - 2), resourceVersionMatch: "Exact"))
        }
        #expect(error.code == 410 && error.reason == "Expired")
    }

    @Test func listOverHTTPHasKindAndMetadata() async throws {
        try await withSim { _, client in
            _ = try await client.send(
                "POST", "/api/v1/namespaces/default/pods", json: Fixture.pod("a", labels: ["app": "x"]))
            let list = try await client.send("GET", "/api/v1/pods?labelSelector=app%3Dx&limit=10").json
            #expect(list.str("kind") == "PodList")
            #expect(list.str("apiVersion") == "v1")
            #expect(list.str("metadata", "resourceVersion") != nil)
            #expect(list["items"]?.arrayValue?.map(\.name) == ["a"])
            let bad = try await client.send("GET", "/api/v1/pods?fieldSelector=spec.image%3Dx")
            #expect(bad.status == 400)
        }
    }
}
