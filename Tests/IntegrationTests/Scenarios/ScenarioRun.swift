import Foundation
import KubeJSON

/// The two servers every ending scenario runs on.
enum Server: String, Sendable {
    /// kubesim in-process, one per scenario.
    case kubesim
    /// The suite's real kube-apiserver v1.20.2 (`.realControlPlane`), one namespace per scenario,
    /// the operator authenticated as deploy/'s ServiceAccount.
    case real
    /// The suite's real node (`.realNode`): the same server, and pods that really run.
    case realNode
}

/// One scenario's world: a cluster on one of the servers and the real operator pointed at it,
/// with its own directory. `run` tears everything down whatever happens.
final class ScenarioRun: Sendable {
    let cluster: any Cluster
    let directory: String
    let operatorProcess = OperatorProcess()
    /// A second operator tree on the same server, as during a rolling update (started on demand).
    let secondOperator = OperatorProcess()
    private let kubeconfig: String

    private init(cluster: any Cluster, directory: String) throws {
        self.cluster = cluster
        self.directory = directory
        self.kubeconfig = try cluster.operatorKubeconfig(in: directory)
    }

    static func run(on server: Server, _ body: (ScenarioRun) async throws -> Void) async throws {
        let cluster = try await makeCluster(server)
        let directory: String
        let run: ScenarioRun
        do {
            directory = try Paths.temporaryDirectory()
            run = try ScenarioRun(cluster: cluster, directory: directory)
        } catch {
            await cluster.tearDown()
            throw error
        }
        do {
            try run.startOperator()
            try await body(run)
        } catch {
            // The operator's log says what it saw: printed on failure when asked for.
            if ProcessInfo.processInfo.environment["OMJOB_TEST_LOGS"] != nil {
                FileHandle.standardError.write(Data(run.operatorProcess.log.utf8))
                FileHandle.standardError.write(Data(run.secondOperator.log.utf8))
            }
            run.stopOperator()
            await cluster.tearDown()
            try? FileManager.default.removeItem(atPath: directory)
            throw IntegrationFailure("on \(cluster.serverName): \(error)")
        }
        run.stopOperator()
        await cluster.tearDown()
        try? FileManager.default.removeItem(atPath: directory)
    }

    private static func makeCluster(_ server: Server) async throws -> any Cluster {
        switch server {
        case .kubesim:
            return try await SimulatedCluster.start()
        case .real:
            guard let plane = RealControlPlane.current else {
                throw IntegrationFailure("no real control plane: the suite needs the .realControlPlane trait")
            }
            return try await RealCluster.start(on: plane)
        case .realNode:
            guard let node = RealNode.current else {
                throw IntegrationFailure("no real node: the suite needs the .realNode trait")
            }
            return try await RealNodeCluster.start(on: node)
        }
    }

    /// Starts the operator with the scenarios' short limits and the server's own settings.
    func startOperator() throws {
        try operatorProcess.start(kubeconfig: kubeconfig, directory: directory, settings: operatorSettings)
    }

    /// Starts a second operator beside the first, with its own run directory (and, when
    /// given, its own kubeconfig, so that the server can tell its requests apart).
    func startSecondOperator(kubeconfig other: String? = nil) throws {
        let second = directory + "/second"
        try FileManager.default.createDirectory(atPath: second, withIntermediateDirectories: true)
        try secondOperator.start(kubeconfig: other ?? kubeconfig, directory: second, settings: operatorSettings)
    }

    /// The scenarios' short limits merged with the server's own settings.
    var operatorSettings: [String: String] {
        OperatorUnderTest.fastSettings.merging(cluster.operatorSettings) { _, new in new }
    }

    func stopOperator() {
        operatorProcess.stop()
        secondOperator.stop()
    }
}
