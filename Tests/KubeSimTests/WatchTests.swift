import KubeJSON
import NIOConcurrencyHelpers
import Testing

@testable import KubeSim

/// Collects in-process watch events.
final class EventSink: Sendable {
    private let box = NIOLockedValueBox<[WatchEvent]>([])
    var events: [WatchEvent] { box.withLockedValue { $0 } }
    var summary: [String] { events.map { "\($0.type.rawValue) \($0.object.name)" } }
    func receive(_ event: WatchEvent) { box.withLockedValue { $0.append(event) } }
}

@Suite struct WatchTests {
    @Test func resumingFromAResourceVersionNeitherMissesNorRepeats() throws {
        let store = try fixtureStore()
        try store.create(.pods, namespace: "default", object: Fixture.pod("a"))
        let first = EventSink()
        let token = try #require(try store.watch(.pods, namespace: "default", options: .init(), sink: first.receive))
        try store.create(.pods, namespace: "default", object: Fixture.pod("b"))
        store.stopWatch(token)
        let lastSeen = try #require(first.events.last?.resourceVersion)
        // While nobody watches: a label change, a delete, a create.
        try store.patch(
            .pods, namespace: "default", name: "a", type: .merge, patch: ["metadata": ["labels": ["x": "1"]]])
        try store.delete(.pods, namespace: "default", name: "b")
        try store.create(.pods, namespace: "default", object: Fixture.pod("c"))
        let resumed = EventSink()
        try store.watch(
            .pods, namespace: "default", options: .init(resourceVersion: String(lastSeen)), sink: resumed.receive)
        try store.create(.pods, namespace: "default", object: Fixture.pod("d"))
        #expect(first.summary == ["ADDED a", "ADDED b"])
        // An unscheduled pod's delete is MODIFIED (deletionTimestamp) then DELETED, as the real pod registry does.
        #expect(resumed.summary == ["MODIFIED a", "MODIFIED b", "DELETED b", "ADDED c", "ADDED d"])
        let versions = resumed.events.map(\.resourceVersion)
        #expect(versions == versions.sorted() && Set(versions).count == versions.count)
        #expect(versions.first! > lastSeen)
    }

    @Test func resourceVersionOlderThanTheWindowGetsExpiredError() throws {
        let store = try fixtureStore(historyLimit: 3)
        try store.create(.pods, namespace: "default", object: Fixture.pod("a"))
        let old = store.resourceVersion
        for name in ["b", "c", "d", "e"] { try store.create(.pods, namespace: "default", object: Fixture.pod(name)) }
        let sink = EventSink()
        let token = try store.watch(
            .pods, namespace: nil, options: .init(resourceVersion: String(old)), sink: sink.receive)
        #expect(token == nil)
        let event = try #require(sink.events.first)
        #expect(event.type == .error)
        #expect(event.object.str("reason") == "Expired")
        #expect(event.object["code"] == 410)
        #expect(event.object.str("message")?.hasPrefix("too old resource version: \(old)") == true)
        // Inside the window still works.
        let recent = EventSink()
        #expect(
            try store.watch(
                .pods, namespace: nil, options: .init(resourceVersion: String(store.resourceVersion - 1)),
                sink: recent.receive) != nil)
        #expect(recent.summary == ["ADDED e"])
    }

    @Test func selectorTransitionsBecomeAddedAndDeleted() throws {
        let store = try fixtureStore()
        try store.create(.pods, namespace: "default", object: Fixture.pod("a", labels: ["app": "web"]))
        let sink = EventSink()
        try store.watch(
            .pods, namespace: "default",
            options: .init(resourceVersion: String(store.resourceVersion), labelSelector: "app=web"), sink: sink.receive
        )
        try store.patch(
            .pods, namespace: "default", name: "a", type: .merge, patch: ["metadata": ["labels": ["app": "db"]]])
        try store.patch(
            .pods, namespace: "default", name: "a", type: .merge, patch: ["metadata": ["labels": ["tier": "x"]]])
        try store.patch(
            .pods, namespace: "default", name: "a", type: .merge, patch: ["metadata": ["labels": ["app": "web"]]])
        #expect(sink.summary == ["DELETED a", "ADDED a"])
        // The DELETED event carries the last object that matched, at the new resourceVersion.
        #expect(sink.events[0].object.labels["app"] == "web")
        #expect(sink.events[0].object.resourceVersionString == String(sink.events[0].resourceVersion))
    }

    @Test func httpWatchStreamsInitialStateThenChanges() async throws {
        try await withSim { sim, client in
            _ = try await client.send("POST", "/api/v1/namespaces/default/pods", json: Fixture.pod("a"))
            let watch = try await SimWatch.open(port: sim.port, path: "/api/v1/namespaces/default/pods?watch=1")
            #expect(watch.status == 200)
            var iterator = watch.events.makeAsyncIterator()
            let initial = try #require(await iterator.next())
            #expect(initial.str("type") == "ADDED" && initial["object"]?.name == "a")
            _ = try await client.send("DELETE", "/api/v1/namespaces/default/pods/a")
            let marked = try #require(await iterator.next())
            #expect(marked.str("type") == "MODIFIED" && marked["object"]?.isDeleting == true)
            let deleted = try #require(await iterator.next())
            #expect(deleted.str("type") == "DELETED")
            await watch.close()
        }
    }

    @Test func bookmarksArriveAtTheConfiguredInterval() async throws {
        try await withSim(.init(bookmarkInterval: .milliseconds(50), threads: 1)) { sim, client in
            let rv = sim.store.resourceVersion
            let watch = try await SimWatch.open(
                port: sim.port, path: "/api/v1/pods?watch=true&allowWatchBookmarks=true&resourceVersion=\(rv)")
            var iterator = watch.events.makeAsyncIterator()
            let bookmark = try #require(await iterator.next())
            #expect(bookmark.str("type") == "BOOKMARK")
            #expect(bookmark["object"]?.str("kind") == "Pod")
            #expect(bookmark["object"]?.resourceVersionString == String(rv))
            await watch.close()
        }
    }

    @Test func timeoutSecondsEndsTheStreamAndTheWatchIsReleased() async throws {
        try await withSim { sim, _ in
            // 20 s, not 1 or 5: the registration must still be there when a loaded machine gets round
            // to looking (CI once took longer than 5 s). The test waits in parallel with the others.
            let watch = try await SimWatch.open(
                port: sim.port,
                path: "/api/v1/pods?watch=1&timeoutSeconds=20&resourceVersion=\(sim.store.resourceVersion)")
            // The response head can reach the client before the event loop registers the watch.
            #expect(try await eventually { sim.store.watchCount == 1 })
            var count = 0
            for await _ in watch.events { count += 1 }
            #expect(count == 0)
            #expect(try await eventually { sim.store.watchCount == 0 })
            await watch.close()
        }
    }

    @Test func httpWatchFromExpiredVersionSendsErrorEventAndEnds() async throws {
        try await withSim(.init(store: .init(historyLimit: 1), threads: 1)) { sim, client in
            for name in ["a", "b", "c"] {
                _ = try await client.send("POST", "/api/v1/namespaces/default/pods", json: Fixture.pod(name))
            }
            let watch = try await SimWatch.open(port: sim.port, path: "/api/v1/pods?watch=1&resourceVersion=2")
            var events: [JSONValue] = []
            for await event in watch.events { events.append(event) }
            #expect(watch.status == 200)
            #expect(events.count == 1)
            #expect(events.first?.str("type") == "ERROR")
            #expect(events.first?["object"]?["code"] == 410)
            await watch.close()
        }
    }

    @Test func badSelectorOnAWatchIsAPlain400() async throws {
        try await withSim { sim, client in
            let response = try await client.send("GET", "/api/v1/pods?watch=1&fieldSelector=spec.image%3Dx")
            #expect(response.status == 400)
            #expect(response.json.str("reason") == "BadRequest")
            #expect(sim.store.watchCount == 0)
            #expect(try await client.send("GET", "/version").status == 200)
        }
    }

    @Test func closedConnectionReleasesTheWatch() async throws {
        try await withSim { sim, _ in
            let watch = try await SimWatch.open(
                port: sim.port, path: "/api/v1/pods?watch=1&resourceVersion=\(sim.store.resourceVersion)")
            #expect(sim.store.watchCount == 1)
            await watch.close()
            for _ in 0..<200 where sim.store.watchCount > 0 { try await Task.sleep(for: .milliseconds(10)) }
            #expect(sim.store.watchCount == 0)
        }
    }
}
