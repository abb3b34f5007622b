import Foundation
import KubeJSON
import Testing

@testable import KubeSim

#if canImport(Glibc)
    import Glibc
#endif

/// `--local-runtime`: pods' commands really run; their output is the log; deletion kills them.
@Suite struct LocalRuntimeTests {
    static func shellPod(
        _ name: String, _ script: String, env: [JSONValue] = [], finalizer: Bool = false, grace: Int64? = nil
    ) -> JSONValue {
        var pod = endingPod(name, finalizer: finalizer, env: env)
        pod.set(
            ["spec", "containers"],
            [["name": "main", "image": "busybox:1.36", "command": ["sh", "-c", .string(script)], "env": .array(env)]])
        if let grace { pod.set(["spec", "terminationGracePeriodSeconds"], .int(grace)) }
        return pod
    }

    @Test func aProcessRunsWithItsEnvironmentAndItsLogIsServed() async throws {
        try await withCluster(autoPolicy: AutoPolicy(), localRuntime: true) { sim, client in
            try sim.store.create(
                .configMaps, namespace: "default",
                object: [
                    "apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "cfg"], "data": ["level": "debug"],
                ])
            let env: [JSONValue] = [
                ["name": "POD", "valueFrom": ["fieldRef": ["fieldPath": "metadata.name"]]],
                ["name": "LEVEL", "valueFrom": ["configMapKeyRef": ["name": "cfg", "key": "level"]]],
                ["name": "GREETING", "value": "hello"],
            ]
            try sim.store.create(
                .pods, namespace: "default",
                object: Self.shellPod("p", "echo $GREETING $POD $LEVEL; echo oops >&2; exit 3", env: env))
            #expect(try await eventually { try sim.pod("p").phase == "Failed" })
            let terminated = try sim.pod("p")[path: ["status", "containerStatuses"]]?.arrayValue?.first?[path: [
                "state", "terminated",
            ]]
            #expect(terminated?["exitCode"] == 3 && terminated?["reason"] == "Error")
            let log = try await client.send("GET", "/api/v1/namespaces/default/pods/p/log")
            #expect(log.status == 200 && log.text == "hello p debug\noops\n")
        }
    }

    @Test func deletionStopsTheProcessWithSIGTERM() async throws {
        try await withCluster(autoPolicy: AutoPolicy(), localRuntime: true) { sim, client in
            try sim.store.create(
                .pods, namespace: "default", object: Self.shellPod("p", "echo started; exec sleep 30", finalizer: true))
            #expect(
                try await eventually {
                    try sim.store.log(namespace: "default", pod: "p", container: nil) == "started\n"
                })
            let pid = try #require(sim.cluster.localProcessID("p"))
            #expect(kill(pid, 0) == 0, "the process runs")
            #expect(try await client.send("DELETE", "/api/v1/namespaces/default/pods/p").status == 200)
            #expect(try await eventually { try sim.pod("p").phase == "Failed" })
            #expect(kill(pid, 0) == -1 && errno == ESRCH, "the process is gone")
            let pod = try sim.pod("p")
            #expect(
                pod[path: ["status", "containerStatuses"]]?.arrayValue?.first?[path: [
                    "state", "terminated", "exitCode",
                ]] == 143)
            #expect(pod.deletionGracePeriod == 0, "the kubelet completed the graceful deletion")
            try sim.store.patch(
                .pods, namespace: "default", name: "p", type: .merge, patch: ["metadata": ["finalizers": nil]])
            #expect(throws: KubeAPIError.self) { try sim.pod("p") }
        }
    }

    @Test func aProcessIgnoringSIGTERMIsKilledAfterTheGracePeriod() async throws {
        try await withCluster(autoPolicy: AutoPolicy(), localRuntime: true) { sim, client in
            let script = "trap '' TERM; echo ready; while :; do sleep 0.05; done"
            try sim.store.create(
                .pods, namespace: "default", object: Self.shellPod("p", script, finalizer: true, grace: 1))
            #expect(
                try await eventually { try sim.store.log(namespace: "default", pod: "p", container: nil) == "ready\n" })
            let pid = try #require(sim.cluster.localProcessID("p"))
            let started = ContinuousClock.now
            #expect(try await client.send("DELETE", "/api/v1/namespaces/default/pods/p").status == 200)
            #expect(try await eventually { try sim.pod("p").phase == "Failed" })
            #expect(ContinuousClock.now - started >= .milliseconds(900), "SIGKILL waited for the grace period")
            #expect(kill(pid, 0) == -1 && errno == ESRCH)
            #expect(
                try sim.pod("p")[path: ["status", "containerStatuses"]]?.arrayValue?.first?[path: [
                    "state", "terminated", "exitCode",
                ]] == 137)
        }
    }

    @Test func aMissingSecretIsCreateContainerConfigErrorAndNothingRuns() async throws {
        try await withCluster(autoPolicy: AutoPolicy(), localRuntime: true) { sim, _ in
            let env: [JSONValue] = [
                ["name": "TOKEN", "valueFrom": ["secretKeyRef": ["name": "creds", "key": "token"]]]
            ]
            try sim.store.create(
                .pods, namespace: "default", object: Self.shellPod("p", "echo should-not-run", env: env))
            sim.cluster.settle()
            let waiting = try sim.pod("p")[path: ["status", "containerStatuses"]]?.arrayValue?.first?[path: [
                "state", "waiting",
            ]]
            #expect(
                waiting?["reason"] == "CreateContainerConfigError"
                    && waiting?["message"] == "secret \"creds\" not found")
            #expect(sim.cluster.localProcessID("p") == nil)
        }
    }

    @Test func anUnknownCommandIsAStartError() async throws {
        try await withCluster(autoPolicy: AutoPolicy(), localRuntime: true) { sim, _ in
            var pod = endingPod()
            pod.set(["spec", "containers"], [["name": "main", "image": "x", "command": ["kubesim-no-such-command"]]])
            try sim.store.create(.pods, namespace: "default", object: pod)
            #expect(try await eventually { try sim.pod("p").phase == "Failed" })
            let terminated = try sim.pod("p")[path: ["status", "containerStatuses"]]?.arrayValue?.first?[path: [
                "state", "terminated",
            ]]
            #expect(terminated?["exitCode"] == 128 && terminated?["reason"] == "StartError")
        }
    }

    @Test func shutdownKillsEveryProcess() async throws {
        var pid: Int32 = 0
        try await withCluster(autoPolicy: AutoPolicy(), localRuntime: true) { sim, _ in
            try sim.store.create(.pods, namespace: "default", object: Self.shellPod("p", "exec sleep 30"))
            #expect(try await eventually { sim.cluster.localProcessID("p") != nil })
            pid = sim.cluster.localProcessID("p") ?? 0
        }
        #expect(pid > 0)
        #expect(try await eventually { kill(pid, 0) == -1 }, "no process outlives kubesim")
    }
}

/// `kubectl logs -f`: the log streams while the process runs and the stream ends with the pod.
@Suite struct LogFollowTests {
    @Test func followStreamsTheGrowingLogUntilThePodEnds() async throws {
        let go = FileManager.default.temporaryDirectory.appendingPathComponent("kubesim-follow-\(UUID().uuidString)")
            .path
        defer { try? FileManager.default.removeItem(atPath: go) }
        try await withCluster(autoPolicy: AutoPolicy(), localRuntime: true) { sim, client in
            // The process cannot finish before the test lets it (no timing assumptions).
            let script = "echo one; while [ ! -e \(go) ]; do sleep 0.02; done; echo two; echo three"
            try sim.store.create(.pods, namespace: "default", object: LocalRuntimeTests.shellPod("p", script))
            #expect(
                try await eventually { try sim.store.log(namespace: "default", pod: "p", container: nil) == "one\n" })
            async let followed = client.send("GET", "/api/v1/namespaces/default/pods/p/log?follow=true")
            #expect(FileManager.default.createFile(atPath: go, contents: nil))
            // The response ends only when the pod has ended, holding what was written after "one".
            let response = try await followed
            #expect(response.status == 200 && response.headers["transfer-encoding"] == "chunked")
            #expect(response.text == "one\ntwo\nthree\n")
            #expect(try sim.pod("p").phase == "Succeeded", "the stream ended because the pod ended")
        }
    }
}
