import Foundation
import KubeJSON
import KubeSim
import Synchronization
import Testing

@testable import Shared

/// The informer against kubesim's real list and watch, through a proxy that cuts the watch
/// connection mid-burst.
@Suite struct KubeSimInformerTests {
    /// Notifications as text, in handler order.
    final class Notes: Sendable {
        let list = Mutex<[String]>([])
        var handlers: Informer<OMJob>.Handlers {
            .init(
                added: { o in self.append("add", o) }, updated: { _, o in self.append("update", o) },
                deleted: { o in self.append("delete", o) })
        }
        func append(_ kind: String, _ o: OMJob) {
            list.withLock { $0.append("\(kind) \(o.metadata.name!)@\(o.metadata.resourceVersion!)") }
        }
        var all: [String] { list.withLock { $0 } }
        func wait(until done: ([String]) -> Bool) async throws -> [String] {
            for _ in 0..<1500 where !done(all) { try await Task.sleep(for: .milliseconds(10)) }
            return all
        }
    }

    static func note(_ event: KubeSim.WatchEvent) -> String? {
        let kind =
            switch event.type {
            case .added: "add"
            case .modified: "update"
            case .deleted: "delete"
            default: ""
            }
        guard !kind.isEmpty else { return nil }
        return
            "\(kind) \(event.object[path: ["metadata", "name"]]?.stringValue ?? "")@\(event.object[path: ["metadata", "resourceVersion"]]?.stringValue ?? "")"
    }

    @Test func watchCutFiveTimesMidBurstDeliversEveryChangeOnceInOrderAnd410RelistsMissedDeletions() async throws {
        let harness = try await SimHarness(historyLimit: 100)
        let store = harness.sim.store
        let omjobs = SimHarness.omjobs
        for i in 0..<3 { try store.create(omjobs, namespace: "default", object: SimHarness.omjob("seed-\(i)")) }
        let recorder = RequestRecorder()
        harness.sim.interceptor = {
            recorder.record($0)
            return nil
        }
        func requests(watch: Bool) -> Int {
            recorder.seen.withLock {
                $0.filter { ($0.method == "GET") && (watch == $0.path.contains("watch=true")) }.count
            }
        }
        let proxy = try CuttingProxy(targetPort: harness.sim.port)
        let client = harness.client(server: "http://127.0.0.1:\(proxy.port)")
        let notes = Notes()
        let informer = Informer<OMJob>(
            client: client, namespace: "default",
            machine: WatchStateMachine(firstBackoff: .milliseconds(5), backoffCap: .milliseconds(50)),
            handlers: notes.handlers)
        let running = Task { await informer.run() }
        await informer.waitUntilSynced()
        #expect(notes.all.count == 3)

        // Ground truth: kubesim's own in-process watch from the same point.
        let truth = Mutex<[String]>([])
        let token = try store.watch(
            omjobs, namespace: "default", options: .init(resourceVersion: String(store.resourceVersion))
        ) { event in
            if let note = Self.note(event) { truth.withLock { $0.append(note) } }
        }
        for _ in 0..<1000 where requests(watch: true) == 0 { try await Task.sleep(for: .milliseconds(5)) }
        for step in 0..<60 {
            switch step % 3 {
            case 0: try store.create(omjobs, namespace: "default", object: SimHarness.omjob("burst-\(step)"))
            case 1:
                try store.patch(
                    omjobs, namespace: "default", name: "seed-\(step % 2)", type: .merge,
                    patch: ["metadata": ["labels": ["step": .string(String(step))]]])
            default: _ = try store.delete(omjobs, namespace: "default", name: "burst-\(step - 2)")
            }
            if step % 12 == 5 {
                // Five cuts in the middle of the burst; the burst goes on only once the
                // informer has reconnected, so each cut hits a live watch.
                let watches = requests(watch: true)
                proxy.cut()
                for _ in 0..<1000 where requests(watch: true) == watches { try await Task.sleep(for: .milliseconds(5)) }
            }
        }
        let expected = try #require(token.map { _ in truth.withLock { $0 } })
        #expect(expected.count == 60)
        let seen = try await notes.wait { $0.count >= 3 + expected.count }
        #expect(Array(seen.dropFirst(3)) == expected, "every change once, in order")
        #expect(requests(watch: true) >= 6, "the watch was reconnected after each of the 5 cuts")
        #expect(requests(watch: false) == 1, "no relist was needed: every reconnect resumed")

        // While the informer cannot reach the server, more changes than kubesim's history keeps,
        // including two deletions: resuming gets 410, the relist must report what was missed.
        proxy.pause()
        _ = try store.delete(omjobs, namespace: "default", name: "seed-2")
        _ = try store.delete(omjobs, namespace: "default", name: "seed-1")
        try store.create(omjobs, namespace: "default", object: SimHarness.omjob("after-gap"))
        for i in 0..<150 {
            try store.patch(
                omjobs, namespace: "default", name: "seed-0", type: .merge,
                patch: ["metadata": ["labels": ["gap": .string(String(i))]]])
        }
        let before = notes.all.count
        proxy.resume()
        let afterGap = try await notes.wait { $0.count >= before + 4 }.dropFirst(before)
        let final = try #require(try? store.get(omjobs, namespace: "default", name: "seed-0"))
        #expect(
            Set(afterGap.map { $0.split(separator: "@")[0] }) == [
                "delete seed-2", "delete seed-1", "add after-gap", "update seed-0",
            ])
        #expect(requests(watch: false) == 2, "the 410 forced exactly one relist")
        #expect(afterGap.contains("update seed-0@\(final[path: ["metadata", "resourceVersion"]]!.stringValue!)"))
        let live = try store.list(omjobs, namespace: "default").items.count
        #expect(await informer.store.count == live)

        running.cancel()
        if let token { store.stopWatch(token) }
        proxy.stop()
        try await harness.finish(client)
    }

    /// The first list comes in pages, and each page's objects are transformed as it arrives (the
    /// store never waits for the whole list of whole objects): 25 OMJobs in pages of 10.
    @Test func theFirstListIsReadAndTransformedPageByPage() async throws {
        let harness = try await SimHarness()
        for i in 0..<25 {
            try harness.sim.store.create(
                SimHarness.omjobs, namespace: "default", object: SimHarness.omjob("paged-\(i)"))
        }
        let recorder = RequestRecorder()
        harness.sim.interceptor = {
            recorder.record($0)
            return nil
        }
        let client = harness.client()
        let transformed = Mutex(0)
        let informer = Informer<OMJob>(
            client: client, namespace: "default", pageSize: 10,
            transform: { omJob, _ in
                transformed.withLock { $0 += 1 }
                return omJob.withoutPodTemplates()
            },
            handlers: .init())
        let running = Task { await informer.run() }
        await informer.waitUntilSynced()
        let lists = recorder.seen.withLock { $0.filter { $0.method == "GET" && !$0.path.contains("watch=true") }.count }
        #expect(lists == 3, "three pages of at most 10")
        #expect(await informer.store.count == 25)
        #expect(transformed.withLock { $0 } == 25)
        #expect(await informer.store.objects.allSatisfy { $0.podTemplatesDropped && $0.spec?.mainPodSpec == nil })
        running.cancel()
        try await harness.finish(client)
    }
}
