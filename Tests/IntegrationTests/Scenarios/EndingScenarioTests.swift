import Foundation
import KubeJSON
import Shared
import TestSupport
import Testing

/// Every ending scenario on kubesim (a fresh one per scenario).
@Suite(.timeLimit(.minutes(3))) struct EndingsOnKubeSim {
    @Test(arguments: EndingScenario.all)
    func ending(_ scenario: EndingScenario) async throws {
        try await ScenarioRun.run(on: .kubesim, scenario.body)
    }
}

/// The same scenarios on a real kube-apiserver v1.20.2 with kube-controller-manager, the
/// operator installed from deploy/ and authenticated as its own ServiceAccount: a verb
/// missing from deploy/'s RBAC fails here.
@Suite(.realControlPlane, .timeLimit(.minutes(3))) struct EndingsOnRealServer {
    @Test(arguments: EndingScenario.all)
    func ending(_ scenario: EndingScenario) async throws {
        try await ScenarioRun.run(on: .real, scenario.body)
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
                        do { try await ScenarioRun.run(on: .real, scenario.body) } catch {
                            Issue.record(error, "\(scenario.name)")
                        }
                    }
                }
                if profile.rbac == .openMetadataChart {
                    group.addTask {
                        do { try await ScenarioRun.run(on: .real, Self.missingPermissionsAreSaid) } catch {
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

    /// Without `create` on pods (the chart's pod rules unbound) the operator runs nothing, and
    /// says so: an ERROR naming the verb and the resource, `/health` 503 (the chart's only probe).
    static func aMissingRequiredPermissionIsNeverSilent(_ plane: RealControlPlane) async throws {
        let bindings = ResourceType(
            group: "rbac.authorization.k8s.io", version: "v1", kind: "ClusterRoleBinding",
            plural: "clusterrolebindings", namespaced: false)
        try await plane.admin.delete(
            resource: bindings, namespace: nil, name: "openmetadata-chart-omjob-operator-pipelines")
        try await ScenarioRun.run(on: .real) { run in
            let port = try await until("the health port") { run.operatorProcess.healthPort }
            let health = try await until("/health failing") { () -> LoopbackHTTP.Response? in
                let answer = try? LoopbackHTTP.get(port: port, path: "/health")
                return answer?.status == 503 ? answer : nil
            }
            #expect(health.body.contains("create pods"), "\(health.body)")
            #expect(run.operatorProcess.log.contains("missing required permission"))
            #expect(
                run.operatorProcess.log.contains("\"permission.verb\":\"create\"")
                    && run.operatorProcess.log.contains("\"permission.resource\":\"pods\""))
            #expect(try LoopbackHTTP.get(port: port, path: "/ready").status == 503)
        }
    }

    /// Under the chart's RBAC: nodes cannot be read, which the operator says once and lives
    /// with (/health stays 200, /info and the metric name what is missing and what it costs).
    @Sendable static func missingPermissionsAreSaid(_ run: ScenarioRun) async throws {
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
        #expect(run.operatorProcess.log.contains("missing optional permission"), "said once in the log")
    }
}
