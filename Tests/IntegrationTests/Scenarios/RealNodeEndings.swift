import Foundation
import KubeJSON
import Models
import Testing

/// Every ending scenario a third time, on a real node (`.realNode`): the kubelet, containerd
/// and runc run the pods, and `RealNodeCluster` turns each scenario's kubelet writes into real
/// container behaviour. Serialized: one scenario stops the node's kubelet, and the node is
/// shared. Two scenarios need a kubelet that does something a real one does not, and are
/// replaced by what the real one does (`realNodeOnly`).
@Suite(.realNode, .serialized, .enabled(if: RealNodeHost.check.runnable, Comment(rawValue: RealNodeHost.check.reason)))
struct EndingsOnRealNode {
    /// Scenario names that cannot run on a real node, and why.
    static let notOnARealNode: [String: String] = [
        "a main pod that never starts is deleted and recorded":
            "ImagePullBackOff is written by hand there; here the images that never start are real (ErrImageNeverPull, a refused registry)",
        "force deletion without a report records PodDeleted":
            "a live kubelet always reports the container it stops; here force deletion records that report",
    ]

    /// OMJOB_REAL_NODE_SCENARIO=TEXT runs only the scenarios whose name contains TEXT.
    static let scenarios = (EndingScenario.all.filter { notOnARealNode[$0.name] == nil } + EndingScenario.realNodeOnly)
        .filter {
            guard let only = ProcessInfo.processInfo.environment["OMJOB_REAL_NODE_SCENARIO"], !only.isEmpty else {
                return true
            }
            return $0.name.contains(only)
        }

    @Test(.timeLimit(.minutes(4)), arguments: scenarios)
    func ending(_ scenario: EndingScenario) async throws {
        try await OperatorUnderTest.run(on: .realNode, scenario.body)
    }
}

extension EndingScenario {
    /// Endings only a real node shows.
    static let realNodeOnly: [EndingScenario] = [
        neverStarts(
            name: "never-pulled", image: "localhost/omjob-missing:1", pullPolicy: "Never",
            reasons: ["NeverStarted/ErrImageNeverPull"]),
        // Port 1 on loopback refuses: the pull fails at once, then backs off.
        neverStarts(
            name: "refused", image: "127.0.0.1:1/omjob/missing:1", pullPolicy: "IfNotPresent",
            reasons: ["NeverStarted/ErrImagePull", "NeverStarted/ImagePullBackOff"]),
        EndingScenario(name: "force deletion: the kubelet stops the container and its report is recorded") { run in
            try await run.createOMJob("forced")
            try await run.guardedRunningMainPod("forced")
            try await run.deletePod("forced-main", gracePeriodSeconds: 0)
            let exit = try await run.waitForExitPod(of: "forced")
            try await run.finishExitHandler(exit)
            try await run.expectKubeletReport("forced", ["Error": 143])
        },
        EndingScenario(name: "eviction through the Eviction API: SIGTERM, and the container's end is recorded") { run in
            try await run.createOMJob("evicted-api")
            try await run.guardedRunningMainPod("evicted-api")
            try await run.realNode().evict(pod: "evicted-api-main")
            let exit = try await run.waitForExitPod(of: "evicted-api")
            try await run.finishExitHandler(exit)
            try await run.expectKubeletReport("evicted-api", ["Error": 143])
        },
        EndingScenario(name: "a main container ignoring SIGTERM is killed at the end of its grace period") { run in
            var object = run.omJobObject("stubborn")
            let env = object["spec"]?["mainPodSpec"]?["env"]?.arrayValue ?? []
            object["spec"]?["mainPodSpec"]?["env"] = .array(env + [["name": "OMJOB_TEST_IGNORE_TERM", "value": "1"]])
            _ = try await run.cluster.create(.omjobs, object)
            try await run.guardedRunningMainPod("stubborn")
            try await run.deletePod("stubborn-main", gracePeriodSeconds: 3)
            let exit = try await run.waitForExitPod(of: "stubborn")
            try await run.finishExitHandler(exit)
            try await run.expectKubeletReport("stubborn", ["Error": 137])
        },
        nodeLost,
        writeBudget,
    ]

    /// A run that ends well on a real kubelet, which reports every step of a pod's start
    /// (unscheduled, `ContainerCreating`, running), makes at most ten writes, four of them its
    /// status: counted in the API server's audit log, by the operator's ServiceAccount.
    static let writeBudget = EndingScenario(name: "a run that ends well makes at most ten writes") { run in
        try await run.createOMJob("budget")
        _ = try await run.waitForPod("budget-main")
        try await run.setRunning("budget-main")
        try await run.waitForPhase("budget", "Running")
        try await run.terminate("budget-main", exitCode: 0, reason: "Completed")
        let exit = try await run.waitForExitPod(of: "budget")
        try await run.finishExitHandler(exit)
        try await run.expectEnded("budget", phase: "Succeeded", reason: "Completed", pipelineStatus: "success")
        _ = try await until("the OMJob's finalizer released") {
            try await run.omJob("budget")?["metadata"]?["finalizers"]?.arrayValue?.isEmpty ?? true ? true : nil
        }
        let namespace = run.cluster.namespace
        let requests = try AuditEvent.read(run.realNode().node.plane.state + "/logs/audit.log").filter {
            $0.isWrite && $0.user.hasPrefix("system:serviceaccount:\(RealControlPlane.operatorNamespace):")
                && $0.uri.contains("/namespaces/\(namespace)/")
        }
        // A write refused (a 409 on a version that moved meanwhile) changed nothing and is made again.
        let writes = requests.filter { (200..<300).contains($0.code) }
        let statusWrites = writes.filter { $0.uri.contains("/omjobs/budget/status") }
        #expect(writes.count <= 10, "\(writes.count) writes: \(requests.map(\.summary))")
        #expect(statusWrites.count <= 4, "\(statusWrites.count) status writes: \(requests.map(\.summary))")
    }

    /// A main pod whose image never comes: the operator deletes it at its start deadline and
    /// records the kubelet's waiting reason.
    static func neverStarts(name: String, image: String, pullPolicy: String, reasons: Set<String>) -> EndingScenario {
        EndingScenario(name: "a main pod whose image never comes (\(image), \(pullPolicy)) is deleted and recorded") {
            run in
            var object = run.omJobObject(name, specExtra: ["mainPodStartDeadlineSeconds": 15])
            object["spec"]?["mainPodSpec"]?["image"] = .string(image)
            object["spec"]?["mainPodSpec"]?["imagePullPolicy"] = .string(pullPolicy)
            _ = try await run.cluster.create(.omjobs, object)
            let exit = try await run.waitForExitPod(of: name)
            try await run.finishExitHandler(exit)
            try await run.waitForPhase(name, "Succeeded")
            let recorded = try await run.recordedTermination(name)?["reason"]?.stringValue ?? "nothing"
            #expect(reasons.contains(recorded), "recorded \(recorded)")
            #expect(try await run.environment(ofPod: exit)["pipelineStatus"] == "failed")
            let main = try await run.pod("\(name)-main")
            #expect(main == nil || main?["metadata"]?["deletionTimestamp"] != nil, "the stuck main pod is deleted")
            try await run.expectNoFinalizers(name)
        }
    }

    /// The kubelet stopped while the main container runs: NodeLost is recorded and the main pod's
    /// deletion asked with the exit handler's start (`stopRequestedAt` in the record); the exit
    /// pod runs once the kubelet is back, and the kubelet, back, stops the container within its
    /// grace period. One exit handler, whatever the late report.
    static let nodeLost = EndingScenario(
        name: "the kubelet stopped while the main pod runs: NodeLost, the exit handler runs when it returns"
    ) { run in
        let node = try run.realNode().node
        try await run.createOMJob("lost")
        try await run.guardedRunningMainPod("lost")
        try await node.stopKubelet()
        do {
            _ = try await until("NodeLost recorded", timeout: 120) {
                try await run.recordedTermination("lost")?["reason"]?.stringValue == "NodeLost" ? true : nil
            }
            #expect(try await run.recordedTermination("lost")?["containerMayStillRun"]?.boolValue == true)
            let exit = try await run.waitForExitPod(of: "lost")
            _ = try await until("the main pod's deletion asked") {
                try await run.pod("lost-main")?["metadata"]?["deletionTimestamp"] != nil ? true : nil
            }
            try await run.expectStopRequested("lost", asked: .byTheRun)
            try await node.startKubelet()
            try await run.finishExitHandler(exit)
            try await run.expectEnded("lost", phase: "Succeeded", reason: "NodeLost", pipelineStatus: "failed")
        } catch {
            try? await node.startKubelet()
            throw error
        }
        // Its grace period (30 s) and a little more.
        let stopped: Bool? = try? await until("the main container stopped after NodeLost", timeout: 35) {
            let main = try await run.pod("lost-main")
            return main == nil || RealNodeCluster.container(main)?["state"]?["terminated"] != nil ? true : nil
        }
        let mainPod = await (try? run.realNode())?.describe("lost-main") ?? "no real node"
        #expect(stopped == true, "lost-main: \(mainPod)")
        #expect(try await run.pods(of: "lost", type: "exit-handler").count == 1, "one exit handler")
    }
}

extension OperatorUnderTest {
    /// The run ended with the kubelet's report of a deleted main pod: one of `expected` (reason:
    /// exit code) or, when the container was already gone as the kubelet wrote the status,
    /// ContainerStatusUnknown with 137 (tests/differential/DIFFERENCES.md, R2). Either is what the
    /// run must record, with one exit handler told `failed`.
    func expectKubeletReport(
        _ name: String, _ expected: [String: Int], sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let accepted = expected.merging(["ContainerStatusUnknown": 137]) { first, _ in first }
        try await waitForPhase(name, "Succeeded")
        let recorded = try await recordedTermination(name)
        let reason = recorded?["reason"]?.stringValue ?? "nothing"
        #expect(accepted[reason] != nil, "recorded \(reason)", sourceLocation: sourceLocation)
        try await expectEnded(
            name, phase: "Succeeded", reason: reason, pipelineStatus: "failed", sourceLocation: sourceLocation)
        #expect(recorded?["exitCode"]?.intValue == accepted[reason].map(Int64.init), sourceLocation: sourceLocation)
    }

    /// This run's cluster as the real node's; a scenario only for the real node fails elsewhere.
    func realNode() throws -> RealNodeCluster {
        guard let cluster = cluster as? RealNodeCluster else {
            throw IntegrationFailure("this scenario runs only on the real node, not on \(cluster.serverName)")
        }
        return cluster
    }
}

extension RealNodeCluster {
    /// POST pods/NAME/eviction (policy/v1beta1, v1.20's): a graceful deletion that honours
    /// PodDisruptionBudgets.
    func evict(pod: String) async throws {
        let eviction = ResourceType(group: "", version: "v1", kind: "Eviction", plural: "pods/\(pod)/eviction")
        let object: JSONValue = [
            "apiVersion": "policy/v1beta1", "kind": "Eviction",
            "metadata": ["name": .string(pod), "namespace": .string(namespace)],
        ]
        _ = try await node.plane.admin.create(object, resource: eviction, namespace: namespace, name: nil)
    }
}
