import Foundation
import KubeJSON
import Testing

@testable import KubeSim

/// One way a pod ends (or gets stuck), driven through kubesim, and the fixture it must match.
struct EndingCase: Sendable, CustomStringConvertible {
    var fixture: String
    var drive: @Sendable (KubeSimServer, SimHTTPClient) async throws -> Void
    var description: String { fixture }
}

/// Every ending the operator handles, compared field by field with the shape a real cluster writes.
@Suite(.timeLimit(.minutes(5))) struct EndingFixtureTests {
    static let cases: [EndingCase] = [
        EndingCase(fixture: "unschedulable") { sim, _ in
            try sim.store.create(.pods, namespace: "default", object: endingPod())
            try sim.cluster.markUnschedulable("p")
        },
        EndingCase(fixture: "err-image-pull") { sim, _ in
            try sim.store.create(.pods, namespace: "default", object: endingPod(image: "busybox:no-such-tag"))
            try sim.cluster.schedule("p", to: "kubesim-node-1")
            try sim.cluster.failImagePull("p")
        },
        EndingCase(fixture: "image-pull-backoff") { sim, _ in
            try sim.store.create(.pods, namespace: "default", object: endingPod(image: "busybox:no-such-tag"))
            try sim.cluster.schedule("p", to: "kubesim-node-1")
            try sim.cluster.failImagePull("p", backOff: true)
        },
        EndingCase(fixture: "create-container-config-error") { sim, _ in
            let env: JSONValue = [
                "name": "LEVEL", "valueFrom": ["configMapKeyRef": ["name": "app-config", "key": "level"]],
            ]
            try sim.runningPod(endingPod(env: [env]))
        },
        EndingCase(fixture: "running") { sim, _ in try sim.runningPod(endingPod()) },
        EndingCase(fixture: "completed") { sim, _ in
            try sim.runningPod(endingPod())
            try sim.cluster.terminate("p", exitCode: 0)
        },
        EndingCase(fixture: "error") { sim, _ in
            try sim.runningPod(endingPod())
            try sim.cluster.terminate("p", exitCode: 1)
        },
        EndingCase(fixture: "signal-sigsegv") { sim, _ in
            try sim.runningPod(endingPod())
            try sim.cluster.kill("p", signal: 11)
        },
        EndingCase(fixture: "oomkilled") { sim, _ in
            try sim.runningPod(endingPod())
            try sim.cluster.oomKill("p")
        },
        EndingCase(fixture: "deadline-exceeded") { sim, _ in
            try sim.runningPod(endingPod(extraSpec: ["activeDeadlineSeconds": 60]))
            sim.cluster.advance(by: 59)
            #expect(try sim.pod("p").phase == "Running")
            sim.cluster.advance(by: 1)
        },
        EndingCase(fixture: "evicted") { sim, _ in
            try sim.runningPod(endingPod())
            try sim.cluster.evict("p")
        },
        EndingCase(fixture: "eviction-api") { sim, client in
            try sim.runningPod(endingPod(finalizer: true))
            let eviction: JSONValue = [
                "apiVersion": "policy/v1", "kind": "Eviction", "metadata": ["name": "p", "namespace": "default"],
            ]
            let response = try await client.send("POST", "/api/v1/namespaces/default/pods/p/eviction", json: eviction)
            #expect(response.status == 201)
            sim.cluster.settle()
        },
        EndingCase(fixture: "graceful-deletion") { sim, client in
            try sim.runningPod(endingPod(finalizer: true))
            #expect(try await client.send("DELETE", "/api/v1/namespaces/default/pods/p").status == 200)
            sim.cluster.settle()
        },
        EndingCase(fixture: "force-deletion") { sim, client in
            try sim.runningPod(endingPod(finalizer: true))
            #expect(
                try await client.send("DELETE", "/api/v1/namespaces/default/pods/p?gracePeriodSeconds=0").status == 200)
            sim.cluster.settle()
        },
        EndingCase(fixture: "node-lost") { sim, _ in
            try sim.runningPod(endingPod())
            try sim.cluster.loseNode("kubesim-node-1")
            sim.cluster.advance(by: 299)
            #expect(try sim.pod("p").isDeleting == false, "deleted before its 300 s toleration")
            sim.cluster.advance(by: 1)
        },
        EndingCase(fixture: "node-deleted") { sim, _ in
            try sim.runningPod(endingPod(finalizer: true))
            try sim.cluster.deleteNode("kubesim-node-1")
            sim.cluster.advance(by: 39)
            #expect(try sim.pod("p").phase == "Running", "pod GC acted before its quarantine")
            sim.cluster.advance(by: 1)
        },
    ]

    @Test(arguments: cases)
    func podMatchesRealClusterShape(_ ending: EndingCase) async throws {
        try await withCluster { sim, client in
            try await ending.drive(sim, client)
            let fixture = try FixtureMatch.load(ending.fixture)
            #expect(fixture["source"] != nil, "every fixture cites its source")
            let served = try await client.send("GET", "/api/v1/namespaces/default/pods/p").json
            let differences = FixtureMatch.differences(fixture: try #require(fixture["pod"]), actual: served)
            #expect(differences.isEmpty, "\(ending.fixture):\n\(differences.joined(separator: "\n"))")
        }
    }

    @Test func unreachableNodeMatchesFixture() async throws {
        try await withCluster { sim, _ in
            try sim.cluster.loseNode("kubesim-node-1")
            let node = try sim.store.get(.nodes, namespace: nil, name: "kubesim-node-1")
            let fixture = try #require(try FixtureMatch.load("node-unreachable")["node"])
            let actual: JSONValue = [
                "spec": ["taints": node[path: ["spec", "taints"]] ?? nil],
                "status": ["conditions": node[path: ["status", "conditions"]] ?? nil],
            ]
            let differences = FixtureMatch.differences(fixture: fixture, actual: actual)
            #expect(differences.isEmpty, "\(differences.joined(separator: "\n"))")
        }
    }

    @Test func evictionWithoutFinalizerRemovesThePodAfterTheKubeletStopsIt() async throws {
        try await withCluster { sim, client in
            try sim.runningPod(endingPod())
            let sink = EventSink()
            try sim.store.watch(
                .pods, namespace: "default", options: .init(resourceVersion: String(sim.store.resourceVersion)),
                sink: sink.receive)
            let eviction: JSONValue = ["apiVersion": "policy/v1", "kind": "Eviction", "metadata": ["name": "p"]]
            #expect(
                try await client.send("POST", "/api/v1/namespaces/default/pods/p/eviction", json: eviction).status
                    == 201)
            sim.cluster.settle()
            #expect(throws: KubeAPIError.self) { try sim.pod("p") }
            // Condition, deletionTimestamp, terminal status, then gone: what a pod watch sees.
            #expect(sink.summary == ["MODIFIED p", "MODIFIED p", "MODIFIED p", "DELETED p"])
        }
    }

    @Test func lostNodePodIsNeverCompletedByAKubelet() async throws {
        try await withCluster { sim, _ in
            try sim.runningPod(endingPod())
            try sim.cluster.loseNode("kubesim-node-1")
            sim.cluster.advance(by: 3600)
            let pod = try sim.pod("p")
            #expect(pod.isDeleting && pod.phase == "Running")
        }
    }

    @Test func tolerationSecondsOfThePodDecideWhenTheTaintManagerDeletes() async throws {
        try await withCluster { sim, _ in
            let toleration: JSONValue = [
                "key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute",
                "tolerationSeconds": 5,
            ]
            try sim.runningPod(endingPod(extraSpec: ["tolerations": [toleration]]))
            try sim.cluster.loseNode("kubesim-node-1")
            sim.cluster.advance(by: 4)
            #expect(try !sim.pod("p").isDeleting)
            sim.cluster.advance(by: 1)
            #expect(try sim.pod("p").isDeleting)
        }
    }
}

/// The comparison itself must catch what matters and ignore what varies between runs.
@Suite(.timeLimit(.minutes(5))) struct FixtureMatchTests {
    @Test func aDifferentExitCodeOrAnExtraStatusFieldIsReported() throws {
        let fixture = try #require(try FixtureMatch.load("completed")["pod"])
        var changed = fixture
        changed.set(["status", "containerStatuses"], [["name": "main", "state": ["terminated": ["exitCode": 1]]]])
        #expect(!FixtureMatch.differences(fixture: fixture, actual: changed).isEmpty)
        var extra = fixture
        extra.set(["status", "reason"], "Evicted")
        #expect(FixtureMatch.differences(fixture: fixture, actual: extra) == ["status.reason: unexpected \"Evicted\""])
    }

    @Test func timestampsIPsAndConditionOrderAreIgnored() throws {
        let fixture = try #require(try FixtureMatch.load("running")["pod"])
        var other = fixture
        other.set(["status", "startTime"], "2031-01-01T00:00:00Z")
        other.set(["status", "podIP"], "10.9.9.9")
        other.set(
            ["status", "conditions"], .array((fixture[path: ["status", "conditions"]]?.arrayValue ?? []).reversed()))
        #expect(FixtureMatch.differences(fixture: fixture, actual: other).isEmpty)
    }
}
