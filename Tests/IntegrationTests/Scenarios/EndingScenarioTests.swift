import Foundation
import KubeJSON
import Models
import TestSupport
import Testing

/// Every ending scenario on kubesim (a fresh one per scenario).
@Suite(.timeLimit(.minutes(3))) struct EndingsOnKubeSim {
    @Test(arguments: EndingScenario.all)
    func ending(_ scenario: EndingScenario) async throws {
        try await OperatorUnderTest.run(on: .kubesim, scenario.body)
    }
}

/// The same scenarios on a real kube-apiserver v1.20.2 with kube-controller-manager, the
/// operator installed from deploy/ and authenticated as its own ServiceAccount: a verb
/// missing from deploy/'s RBAC fails here.
@Suite(.realControlPlane, .timeLimit(.minutes(3))) struct EndingsOnRealServer {
    @Test(arguments: EndingScenario.all)
    func ending(_ scenario: EndingScenario) async throws {
        try await OperatorUnderTest.run(on: .real, scenario.body)
    }

    /// The scenarios' proof is only as good as the identity: the operator's token must be the
    /// ServiceAccount's (the server names it when it refuses) and hold no more than deploy/
    /// grants (no Secrets: the operator never reads them).
    @Test func theOperatorRunsAsItsOwnLeastPrivilegeServiceAccount() async throws {
        let plane = try #require(RealControlPlane.current)
        let answer = await plane.listSecretsAsOperator(namespace: "default")
        #expect(answer.code == 403, "listing Secrets as the operator: \(answer)")
        #expect(
            answer.message.contains(
                "system:serviceaccount:\(RealControlPlane.operatorNamespace):\(RealControlPlane.operatorAccount)"),
            "\(answer.message)")
    }
}

/// Every ending scenario under every install a user may have: this project's CRDs and RBAC or
/// OpenMetadata's chart's (tests/openmetadata-chart), with the OwnerReferencesPermissionEnforcement
/// admission plugin on or off; the chart's profiles run the operator with the chart's
/// environment. One control plane per profile, one after the other (each starts its own
/// server); the scenarios of a profile run at once, each in its own namespace.
/// (`EndingsOnRealServer` is the project's own profile.)
@Suite(.serialized, .timeLimit(.minutes(5))) struct DropInMatrix {
    @Test(arguments: RealControlPlane.Profile.all.filter { $0 != .project })
    func everyEndingEndsUnderThisInstall(_ profile: RealControlPlane.Profile) async throws {
        let plane = try await RealControlPlane.start(profile)
        await RealControlPlane.$current.withValue(plane) {
            await withTaskGroup(of: Void.self) { group in
                for scenario in EndingScenario.all {
                    group.addTask {
                        do { try await OperatorUnderTest.run(on: .real, scenario.body) } catch {
                            Issue.record(error, "\(scenario.name)")
                        }
                    }
                }
                if profile.rbac == .openMetadataChart {
                    group.addTask {
                        do { try await OperatorUnderTest.run(on: .real, Self.missingPermissionsAreSaid) } catch {
                            Issue.record(error)
                        }
                    }
                }
            }
            if profile.rbac == .openMetadataChart, !profile.ownerReferencesEnforcement {
                do { try await Self.aMissingRequiredPermissionIsNeverSilent(plane) } catch { Issue.record(error) }
            }
        }
        await plane.stop()
    }

    /// The chart grants `create` on core Events; an install without it still ends its runs. On
    /// the chart's CRDs and RBAC with that rule taken out: a run that succeeds and one whose main
    /// pod fails each reach their final phase with exactly one exit handler and no finalizer left,
    /// while the server refuses every Event and the operator says what that costs.
    @Test func withoutEventsCreateRunsStillEnd() async throws {
        let plane = try await RealControlPlane.start(
            .init(crds: .openMetadataChart, rbac: .openMetadataChart, ownerReferencesEnforcement: true))
        do {
            try await plane.refuseEventsToTheOperator()
            try await RealControlPlane.$current.withValue(plane) {
                try await OperatorUnderTest.run(on: .real, Self.runsEndWithoutEvents)
            }
        } catch {
            Issue.record(error)
        }
        await plane.stop()
    }

    @Sendable static func runsEndWithoutEvents(_ run: OperatorUnderTest) async throws {
        let endings: [(name: String, code: Int, reason: String, pipelineStatus: String)] = [
            ("ok", 0, "Completed", "success"), ("fails", 1, "Error", "failed"),
        ]
        for ending in endings {
            try await run.createOMJob(ending.name)
            _ = try await run.waitForPod("\(ending.name)-main")
            try await run.setRunning("\(ending.name)-main")
        }
        for ending in endings {
            try await run.terminate("\(ending.name)-main", exitCode: ending.code, reason: ending.reason)
            try await run.finishExitHandler(try await run.waitForExitPod(of: ending.name))
        }
        for ending in endings {
            try await run.expectEnded(
                ending.name, phase: "Succeeded", reason: ending.reason, pipelineStatus: ending.pipelineStatus)
            #expect(try await run.pods(of: ending.name, type: "exit-handler").count == 1, "one exit handler")
            #expect(try await run.recordedAttempts(ending.name) == 1)
        }
        let lines = run.operatorProcess.logLines
        let said = lines.filter {
            $0["message"]?.stringValue == "missing optional permission"
                && $0["permission.verb"]?.stringValue == "create" && $0["permission.resource"]?.stringValue == "events"
        }
        #expect(said.count == 1, "the start-up ERROR naming create events, once: \(said)")
        #expect(said.first?["level"]?.stringValue == "error")
        #expect(said.first?["permission.consequence"]?.stringValue?.contains("runs still end") == true)
        let refused = lines.filter {
            $0["command.type"]?.stringValue == "recordEvent"
                && $0["reason"]?.stringValue?.contains("cannot create resource \"events\"") == true
        }
        #expect(!refused.isEmpty, "the server refused the operator's Events, and the executor said so")
    }

    /// Without `create` on pods (the chart's pod rules unbound) the operator runs nothing, and
    /// says so: an ERROR naming the verb and the resource, `/health` 503 (the chart's only probe).
    static func aMissingRequiredPermissionIsNeverSilent(_ plane: RealControlPlane) async throws {
        let bindings = ResourceType(
            group: "rbac.authorization.k8s.io", version: "v1", kind: "ClusterRoleBinding",
            plural: "clusterrolebindings", namespaced: false)
        try await plane.admin.delete(
            resource: bindings, namespace: nil, name: "openmetadata-chart-omjob-operator-pipelines")
        try await OperatorUnderTest.run(on: .real) { run in
            let port = try await until("the health port") { run.operatorProcess.healthPort }
            let health = try await until("/health failing") { () -> LoopbackHTTP.Response? in
                let answer = try? LoopbackHTTP.get(port: port, path: "/health")
                return answer?.status == 503 ? answer : nil
            }
            #expect(health.body.contains("create pods"), "\(health.body)")
            #expect(run.operatorProcess.log.contains("missing required permission"))
            let pods = run.operatorProcess.logLines.filter { $0["permission.resource"]?.stringValue == "pods" }
            #expect(
                pods.contains {
                    $0["message"]?.stringValue == "missing required permission"
                        && ($0["permission.verb"]?.stringValue?.split(separator: ",") ?? []).contains("create")
                },
                "an ERROR line naming create on pods: \(pods)")
            #expect(try LoopbackHTTP.get(port: port, path: "/ready").status == 503)
        }
    }

    /// Under the chart's RBAC: nodes cannot be read, which the operator says once and lives
    /// with (/health stays 200, /info and the metric name what is missing and what it costs).
    @Sendable static func missingPermissionsAreSaid(_ run: OperatorUnderTest) async throws {
        let port = try await until("the health port") { run.operatorProcess.healthPort }
        let info = try await until("the permission review in /info") { () -> JSONValue? in
            guard let body = try? LoopbackHTTP.get(port: port, path: "/info").body,
                let info = try? JSONDecoder().decode(JSONValue.self, from: Data(body.utf8)),
                info["missingPermissions"]?.arrayValue?.isEmpty == false
            else { return nil }
            return info
        }
        let missing = info["missingPermissions"]?.arrayValue ?? []
        #expect(
            missing.contains {
                $0["resource"]?.stringValue == "nodes" && $0["verb"]?.stringValue == "list"
                    && $0["required"]?.boolValue == false
            })
        #expect(
            !missing.contains { $0["required"]?.boolValue == true },
            "the chart grants every required permission: \(missing)")
        #expect(try LoopbackHTTP.get(port: port, path: "/health").status == 200)
        let metrics = try #require(MetricsProbe.text(port: port))
        #expect(
            MetricsProbe.value(
                metrics, "omjob_permission_missing", ["verb": "list", "resource": "nodes", "required": "false"]) == 1)
        let ready = try await until("/ready 200") { () -> LoopbackHTTP.Response? in
            let answer = try? LoopbackHTTP.get(port: port, path: "/ready")
            return answer?.status == 200 ? answer : nil
        }
        let nodes = try #require(missing.first { $0["resource"]?.stringValue == "nodes" })
        let cost = try #require(nodes["withoutIt"]?.stringValue)
        #expect(
            ready.body.split(separator: "\n").contains(
                "missing optional permission: list, watch, get nodes (cluster-wide) (\(cost))"),
            "\(ready.body)")
        #expect(ready.body.hasPrefix("ready\n"))
        let said = run.operatorProcess.logLines.filter { $0["permission.resource"]?.stringValue == "nodes" }
        #expect(said.count == 1, "one line for nodes: \(said)")
        #expect(said.first?["level"]?.stringValue == "error")
        #expect(said.first?["message"]?.stringValue == "missing optional permission")
        #expect(said.first?["permission.verb"]?.stringValue == "list,watch,get")
        #expect(said.first?["permission.consequence"]?.stringValue == cost)
    }
}
