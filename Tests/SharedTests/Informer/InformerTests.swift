import Foundation
import KubeJSON
import Synchronization
import Testing

@testable import Shared

/// The informer over real sockets against scripted list and watch responses: cuts, bookmarks,
/// 410 and relist, each exactly when the test needs it.
@Suite struct InformerTests {
    static func event(_ type: String, _ name: String, rv: Int, size: Int = 0) -> JSONValue {
        ["type": .string(type), "object": widgetJSON(name, rv: rv, size: size)]
    }

    static func list(rv: Int, _ items: [JSONValue]) -> JSONValue {
        ["body": ["kind": "WidgetList", "metadata": ["resourceVersion": .string(String(rv))], "items": .array(items)]]
    }

    /// Collects notifications as text, in handler order.
    final class Recorder: Sendable {
        let notes = Mutex<[String]>([])

        var handlers: Informer<Widget>.Handlers {
            .init(
                added: { o in
                    self.notes.withLock { $0.append("add \(o.metadata.name!)@\(o.metadata.resourceVersion!)") }
                },
                updated: { _, o in
                    self.notes.withLock { $0.append("update \(o.metadata.name!)@\(o.metadata.resourceVersion!)") }
                },
                deleted: { o in
                    self.notes.withLock { $0.append("delete \(o.metadata.name!)@\(o.metadata.resourceVersion!)") }
                })
        }

        /// Waits (bounded) until `count` notifications arrived.
        func wait(for count: Int) async throws -> [String] {
            for _ in 0..<1000 where notes.withLock({ $0.count }) < count {
                try await Task.sleep(for: .milliseconds(10))
            }
            return notes.withLock { $0 }
        }
    }

    @Test func everyChangeExactlyOnceAndInOrderAcrossCutsAnd410() async throws {
        let server = try ScriptedServer()
        let thread = try LoopThread()
        let client = KubeClient(configuration: ClusterConfiguration(server: server.baseURL), executor: thread.executor)

        // A burst of 40 changes to 4 objects (rv 101…140) delivered over 5 watch connections,
        // each cut mid-stream at an uneven point; a bookmark in the middle; then a 410.
        let burst = (0..<40).map { i in Self.event("MODIFIED", "w\(i % 4)", rv: 101 + i, size: i) }
        let cuts = [0, 7, 8, 19, 31, 40]
        var script: [JSONValue] = [Self.list(rv: 100, (0..<4).map { widgetJSON("w\($0)", rv: 50 + $0) })]
        for segment in 0..<(cuts.count - 1) {
            var lines = Array(burst[cuts[segment]..<cuts[segment + 1]])
            if segment == 4 {
                lines.append([
                    "type": "BOOKMARK", "object": ["kind": "Widget", "metadata": ["resourceVersion": "145"]],
                ])
            }
            script.append(["lines": .array(lines), "end": "cut"])
        }
        // Watch from the bookmark's 145 gets 410; the relist shows w1 and w3 gone, w9 new.
        script.append([
            "lines": [
                [
                    "type": "ERROR",
                    "object": ["kind": "Status", "code": 410, "reason": "Expired", "message": "too old"],
                ]
            ], "end": "clean",
        ])
        script.append(
            Self.list(
                rv: 200,
                [widgetJSON("w0", rv: 137, size: 36), widgetJSON("w2", rv: 139, size: 38), widgetJSON("w9", rv: 190)]))
        script.append(["lines": [], "end": "hold"])
        try await server.script(script, client: client.http)

        let recorder = Recorder()
        let informer = Informer<Widget>(
            client: client, namespace: "ns", pageSize: 100,
            machine: WatchStateMachine(firstBackoff: .milliseconds(5), backoffCap: .milliseconds(20)),
            handlers: recorder.handlers)
        let running = Task { await informer.run() }
        await informer.waitUntilSynced()

        let expected =
            (0..<4).map { "add w\($0)@\(50 + $0)" }
            + (0..<40).map { "update w\($0 % 4)@\(101 + $0)" }
            + ["add w9@190", "delete w1@138", "delete w3@140"]
        let notes = try await recorder.wait(for: expected.count)
        #expect(notes == expected)

        // Each reconnect resumed from the last version seen; the 410 forced a relist.
        // The handlers can see the relist before the informer has sent its next watch: wait for it.
        var requests: [String] = []
        for _ in 0..<200 {
            requests = try await server.log(client: client.http).compactMap { $0["path"]?.stringValue }
            if requests.count >= 9 { break }
            try await Task.sleep(for: .milliseconds(25))
        }
        let versions = requests.map { path in
            (path.contains("watch=true") ? "watch " : "list ")
                + (URLComponents(string: path)?.queryItems?.first { $0.name == "resourceVersion" }?.value ?? "-")
        }
        #expect(
            versions == [
                "list -", "watch 100", "watch 107", "watch 108", "watch 119", "watch 131", "watch 145", "list -",
                "watch 200",
            ])
        #expect(await informer.store.count == 3)

        running.cancel()
        await client.http.shutdown()
        thread.stopAndWait()
        server.stop()
    }
}
