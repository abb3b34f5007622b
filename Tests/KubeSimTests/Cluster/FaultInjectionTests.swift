import Foundation
import KubeJSON
import NIOConcurrencyHelpers
import NIOCore
import Testing

@testable import KubeSim

/// One test per fault kind, over real sockets, plus switching and counting.
@Suite struct FaultInjectionTests {
    static let podsPath = "/api/v1/namespaces/default/pods"

    @Test func serverErrorsHitTheChosenVerbCountTimesAndAreCounted() async throws {
        try await withSim { sim, client in
            let rule = try await client.send(
                "POST", "/kubesim/faults",
                json: ["kind": "serverError", "resource": "pods", "verb": "list", "code": 503, "count": 2])
            #expect(rule.status == 201)
            #expect(try await client.send("GET", Self.podsPath).status == 503)
            #expect(
                try await client.send("POST", Self.podsPath, json: Fixture.pod("a")).status == 201,
                "create is not faulted")
            let second = try await client.send("GET", Self.podsPath)
            #expect(second.status == 503 && second.json["reason"] == "ServiceUnavailable")
            #expect(try await client.send("GET", Self.podsPath).status == 200, "count exhausted")
            let report = try await client.send("GET", "/kubesim/faults").json
            #expect(report[path: ["injected", "byKind", "serverError"]] == 2)
            #expect(report[path: ["rules"]]?.arrayValue?.first?["injected"] == 2)
            #expect(sim.faults.totalInjected == 2)
        }
    }

    @Test func tooManyRequestsCarriesRetryAfter() async throws {
        try await withSim { sim, client in
            sim.faults.add(FaultRule(kind: .tooManyRequests, resource: "pods", verb: "create", retryAfterSeconds: 7))
            let response = try await client.send("POST", Self.podsPath, json: Fixture.pod("a"))
            #expect(response.status == 429)
            #expect(response.headers["retry-after"] == "7")
            #expect(response.json[path: ["details", "retryAfterSeconds"]] == 7)
            #expect(sim.faults.injectedCount(.tooManyRequests) == 1)
        }
    }

    @Test func latencyDelaysTheAnswerButServesIt() async throws {
        try await withSim { sim, client in
            sim.faults.add(FaultRule(kind: .latency, resource: "pods", verb: "list", latencyMilliseconds: 150))
            let started = ContinuousClock.now
            let response = try await client.send("GET", Self.podsPath)
            #expect(response.status == 200 && response.json["kind"] == "PodList")
            #expect(ContinuousClock.now - started >= .milliseconds(150))
            #expect(sim.faults.injectedCount(.latency) == 1)
        }
    }

    @Test func resetDropsTheConnectionAndOthersKeepBeingServed() async throws {
        try await withSim { sim, client in
            sim.faults.add(FaultRule(kind: .reset, resource: "pods", verb: "create", count: 1))
            await #expect(throws: (any Error).self) {
                try await client.send("POST", Self.podsPath, json: Fixture.pod("a"))
            }
            let fresh = try await SimHTTPClient.connect(port: sim.port)
            #expect(try await fresh.send("POST", Self.podsPath, json: Fixture.pod("a")).status == 201)
            await fresh.close()
            #expect(sim.faults.injectedCount(.reset) == 1)
        }
    }

    @Test func watchIsCutAfterNEvents() async throws {
        try await withSim { sim, client in
            sim.faults.add(FaultRule(kind: .watchCut, resource: "pods", afterEvents: 2))
            let watch = try await SimWatch.open(
                port: sim.port, path: "\(Self.podsPath)?watch=1&resourceVersion=\(sim.store.resourceVersion)")
            for name in ["a", "b", "c", "d"] {
                try sim.store.create(.pods, namespace: "default", object: Fixture.pod(name))
            }
            var names: [String] = []
            for await event in watch.events {
                names.append(event[path: ["object", "metadata", "name"]]?.stringValue ?? "")
            }
            #expect(names == ["a", "b"])
            await watch.close()
            #expect(sim.faults.injectedCount(.watchCut) == 1)
        }
    }

    @Test func watchIsCutAfterSeconds() async throws {
        try await withSim { sim, _ in
            sim.faults.add(FaultRule(kind: .watchCut, resource: "pods", afterSeconds: 0.2))
            let started = ContinuousClock.now
            let watch = try await SimWatch.open(port: sim.port, path: "\(Self.podsPath)?watch=1")
            for await _ in watch.events {}
            // Lower bound only: the stream did not end before its 0.2 s (minus clock granularity).
            #expect(ContinuousClock.now - started >= .milliseconds(190))
            #expect(sim.faults.injectedCount(.watchCut) == 1)
            await watch.close()
        }
    }

    @Test func forcedGoneOnlyOnWatchResume() async throws {
        try await withSim { sim, _ in
            sim.faults.add(FaultRule(kind: .watchGone, resource: "pods"))
            let resumed = try await SimWatch.open(
                port: sim.port, path: "\(Self.podsPath)?watch=1&resourceVersion=\(sim.store.resourceVersion)")
            var events: [JSONValue] = []
            for await event in resumed.events { events.append(event) }
            #expect(resumed.status == 200)
            #expect(events.count == 1 && events.first?["type"] == "ERROR")
            #expect(
                events.first?[path: ["object", "code"]] == 410
                    && events.first?[path: ["object", "reason"]] == "Expired")
            await resumed.close()
            let fresh = try await SimWatch.open(port: sim.port, path: "\(Self.podsPath)?watch=1")
            try sim.store.create(.pods, namespace: "default", object: Fixture.pod("a"))
            var iterator = fresh.events.makeAsyncIterator()
            #expect(await iterator.next()?["type"] == "ADDED", "a watch from now is not a resume")
            await fresh.close()
            #expect(sim.faults.injectedCount(.watchGone) == 1)
        }
    }

    @Test func slowLorisTricklesTheWholeAnswer() async throws {
        try await withSim { sim, client in
            sim.faults.add(
                FaultRule(
                    kind: .slowLoris, resource: "pods", verb: "get", chunkBytes: 200, chunkIntervalMilliseconds: 10))
            try sim.store.create(.pods, namespace: "default", object: Fixture.pod("a"))
            let expected = try sim.store.get(.pods, namespace: "default", name: "a")
            let started = ContinuousClock.now
            let response = try await client.send("GET", "\(Self.podsPath)/a")
            let chunks = (response.body.count + 199) / 200
            #expect(response.status == 200 && response.json == expected)
            #expect(ContinuousClock.now - started >= .milliseconds(10 * (chunks - 1)))
            #expect(try await client.send("GET", Self.podsPath).status == 200, "the connection stays usable")
        }
    }

    @Test func rulesAreSwitchedOffAndOnAtRunTime() async throws {
        try await withSim { sim, client in
            let id = try #require(
                try await client.send("POST", "/kubesim/faults", json: ["kind": "serverError", "resource": "*"]).json[
                    "id"]?.stringValue)
            #expect(try await client.send("GET", Self.podsPath).status == 500)
            #expect(
                try await client.send("GET", "/kubesim/faults").status == 200, "control endpoints are never faulted")
            #expect(try await client.send("PATCH", "/kubesim/faults/\(id)", json: ["enabled": false]).status == 200)
            #expect(try await client.send("GET", Self.podsPath).status == 200)
            #expect(try await client.send("PATCH", "/kubesim/faults/\(id)", json: ["enabled": true]).status == 200)
            #expect(try await client.send("GET", Self.podsPath).status == 500)
            #expect(try await client.send("DELETE", "/kubesim/faults/\(id)").status == 200)
            #expect(try await client.send("GET", Self.podsPath).status == 200)
            #expect(sim.faults.injectedCount(.serverError) == 2)
        }
    }

    @Test func probabilityUsesTheInjectedDraw() {
        let draws = DrawSequence([0.1, 0.9, 0.4])
        let injector = FaultInjector(random: { draws.next() })
        injector.add(FaultRule(kind: .serverError, probability: 0.5))
        let request = APIRequest(method: "GET", uri: "/api/v1/pods", headers: [:], body: [])
        let hits = (0..<3).map { _ in injector.action(for: request) != nil }
        #expect(hits == [true, false, true])
    }

    @Test func badRulesNameTheField() async throws {
        try await withSim { _, client in
            let noKind = try await client.send("POST", "/kubesim/faults", json: ["resource": "pods"])
            #expect(noKind.status == 400 && (noKind.json["message"]?.stringValue ?? "").contains("kind"))
            let badProbability = try await client.send(
                "POST", "/kubesim/faults", json: ["kind": "reset", "probability": 2])
            #expect(
                badProbability.status == 400
                    && (badProbability.json["message"]?.stringValue ?? "").contains("probability"))
            let cutWithoutLimit = try await client.send("POST", "/kubesim/faults", json: ["kind": "watchCut"])
            #expect(cutWithoutLimit.status == 400)
        }
    }
}

/// A fixed sequence of draws for probability tests.
final class DrawSequence: Sendable {
    private let values: NIOLockedValueBox<[Double]>
    init(_ values: [Double]) { self.values = NIOLockedValueBox(values) }
    func next() -> Double { values.withLockedValue { $0.isEmpty ? 0 : $0.removeFirst() } }
}
