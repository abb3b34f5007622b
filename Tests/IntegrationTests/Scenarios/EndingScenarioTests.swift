import Foundation
import KubeJSON
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
        #expect(answer.message.contains("system:serviceaccount:\(RealControlPlane.operatorNamespace):\(RealControlPlane.operatorAccount)"),
                "\(answer.message)")
    }
}
