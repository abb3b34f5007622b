import Foundation
import KubeJSON
import Testing

@testable import KubeSim

/// Automatic mode: many pods, no per-pod code; annotations override the policy.
@Suite struct AutoModeTests {
    @Test func everyPodRunsForTheSetTimeThenExitsWithTheSetCode() async throws {
        try await withCluster(nodes: 3, autoPolicy: AutoPolicy(runSeconds: 5, exitCode: 0)) { sim, _ in
            for index in 0..<300 {
                try sim.store.create(.pods, namespace: "default", object: endingPod("run-\(index)"))
            }
            sim.cluster.settle()
            var pods = try sim.store.list(.pods, namespace: "default").items
            #expect(pods.allSatisfy { $0.phase == "Running" })
            #expect(Set(pods.map(\.nodeName)) == ["kubesim-node-1", "kubesim-node-2", "kubesim-node-3"])
            sim.cluster.advance(by: 4.9)
            #expect(try sim.store.list(.pods, namespace: "default").items.allSatisfy { $0.phase == "Running" })
            sim.cluster.advance(by: 0.1)
            pods = try sim.store.list(.pods, namespace: "default").items
            #expect(pods.count == 300 && pods.allSatisfy { $0.phase == "Succeeded" })
        }
    }

    struct Override: Sendable, CustomStringConvertible {
        var annotations: [String: String]
        var phase: String
        var exitCode: Int64?
        var reason: String?
        var description: String { annotations.description }
    }

    static let overrides: [Override] = [
        Override(annotations: ["kubesim.io/exit-code": "3"], phase: "Failed", exitCode: 3, reason: "Error"),
        Override(annotations: ["kubesim.io/ending": "OOMKilled"], phase: "Failed", exitCode: 137, reason: "OOMKilled"),
        Override(annotations: ["kubesim.io/ending": "Signal:9"], phase: "Failed", exitCode: 137, reason: "Error"),
        Override(annotations: ["kubesim.io/ending": "Evicted"], phase: "Failed", exitCode: 137, reason: "Error"),
        Override(annotations: ["kubesim.io/ending": "Running"], phase: "Running", exitCode: nil, reason: nil),
        Override(
            annotations: ["kubesim.io/ending": "ErrImagePull"], phase: "Pending", exitCode: nil, reason: "ErrImagePull"),
        Override(
            annotations: ["kubesim.io/ending": "CreateContainerConfigError"], phase: "Pending", exitCode: nil,
            reason: "CreateContainerConfigError"),
        Override(annotations: ["kubesim.io/ending": "Unschedulable"], phase: "Pending", exitCode: nil, reason: nil),
        Override(annotations: ["kubesim.io/run-seconds": "100"], phase: "Running", exitCode: nil, reason: nil),
        Override(
            annotations: ["kubesim.io/exit-code": "not-a-number"], phase: "Succeeded", exitCode: 0, reason: "Completed"),
    ]

    @Test(arguments: overrides)
    func annotationsOverrideThePolicy(_ row: Override) async throws {
        try await withCluster(autoPolicy: AutoPolicy(runSeconds: 1, exitCode: 0)) { sim, _ in
            try sim.store.create(.pods, namespace: "default", object: endingPod(annotations: row.annotations))
            sim.cluster.advance(by: 2)
            let pod = try sim.pod("p")
            #expect(pod.phase == row.phase)
            let state = pod[path: ["status", "containerStatuses"]]?.arrayValue?.first?["state"]
            #expect(state?[path: ["terminated", "exitCode"]]?.intValue == row.exitCode)
            if let reason = row.reason {
                let seen =
                    state?[path: ["terminated", "reason"]]?.stringValue
                    ?? state?[path: ["waiting", "reason"]]?.stringValue
                #expect(seen == reason)
            }
            if row.annotations["kubesim.io/ending"] == "Unschedulable" { #expect(pod.nodeName.isEmpty) }
            if row.annotations["kubesim.io/ending"] == "Evicted" {
                #expect(pod[path: ["status", "reason"]] == "Evicted")
            }
        }
    }

    @Test func aNodeSelectorNoNodeMatchesLeavesThePodUnschedulable() async throws {
        try await withCluster(autoPolicy: AutoPolicy()) { sim, _ in
            try sim.store.create(
                .pods, namespace: "default", object: endingPod(extraSpec: ["nodeSelector": ["disktype": "ssd"]]))
            sim.cluster.settle()
            let condition = try sim.pod("p")[path: ["status", "conditions"]]?.arrayValue?.first
            #expect(condition?["reason"] == "Unschedulable" && condition?["status"] == "False")
        }
    }

    @Test func automaticModeIsSwitchedAtRunTimeThroughTheControlEndpoint() async throws {
        try await withCluster { sim, client in
            #expect(
                try await client.send("PUT", "/kubesim/cluster/auto", json: ["runSeconds": 1, "exitCode": 4]).status
                    == 200)
            try sim.store.create(.pods, namespace: "default", object: endingPod())
            #expect(try await client.send("POST", "/kubesim/cluster/advance", json: ["seconds": 1]).status == 200)
            #expect(try sim.pod("p").phase == "Failed")
            #expect(try await client.send("DELETE", "/kubesim/cluster/auto").status == 200)
            try sim.store.create(.pods, namespace: "default", object: endingPod("q"))
            sim.cluster.settle()
            #expect(try sim.pod("q").nodeName.isEmpty, "manual mode again")
        }
    }

    @Test(arguments: [
        (["kubesim.io/run-seconds": "2.5"], AutoPlan.run(seconds: 2.5, ending: .exit(.exited(0))), [String]()),
        (["kubesim.io/ending": "Error"], AutoPlan.run(seconds: 1, ending: .exit(.exited(1))), []),
        (["kubesim.io/ending": "Signal:15"], AutoPlan.run(seconds: 1, ending: .exit(.signaled(15))), []),
        (["kubesim.io/ending": "Bogus"], AutoPlan.run(seconds: 1, ending: .exit(.exited(0))), ["kubesim.io/ending"]),
        (
            ["kubesim.io/run-seconds": "-1"], AutoPlan.run(seconds: 1, ending: .exit(.exited(0))),
            ["kubesim.io/run-seconds"]
        ),
        (["kubesim.io/ending": "ImagePullBackOff"], AutoPlan.waiting(reason: "ImagePullBackOff"), []),
    ])
    func planTable(_ annotations: [String: String], _ plan: AutoPlan, _ invalid: [String]) {
        let made = AutoPlan.make(annotations: annotations, policy: AutoPolicy(runSeconds: 1, exitCode: 0))
        #expect(made.0 == plan)
        #expect(made.invalid == invalid)
    }
}

/// The scheduler retries Unschedulable pods when a node appears.
@Suite struct AutoModeRetryTests {
    @Test func anUnschedulablePodIsPlacedWhenANodeIsAdded() async throws {
        try await withCluster(nodes: 0, autoPolicy: AutoPolicy(runSeconds: 1)) { sim, _ in
            try sim.store.create(.pods, namespace: "default", object: endingPod())
            sim.cluster.settle()
            #expect(try sim.pod("p")[path: ["status", "conditions"]]?.arrayValue?.first?["reason"] == "Unschedulable")
            try sim.cluster.addNode("late-node")
            #expect(try sim.pod("p").nodeName == "late-node")
            sim.cluster.advance(by: 1)
            #expect(try sim.pod("p").phase == "Succeeded")
        }
    }
}
