import Foundation
import KubeJSON
import KubeSim
import Synchronization
import Testing

/// Two operators on one kubesim split the OMJobs by `OMJOB_SHARD_SELECTOR` on
/// `app.kubernetes.io/pipeline-type`: `=metadata` and `!=metadata` (which takes the unlabelled
/// ones too). Each run is written by exactly one of them (the request log, told apart by the
/// Host header as in `LeaderElectionTests`), each ends with one exit handler, and each shard
/// leads on its own Lease.
@Suite(.serialized, .timeLimit(.minutes(4)))
struct SelectorShardsOnKubeSim {
    static let key = "app.kubernetes.io/pipeline-type"

    /// A write as the server saw it, and which operator sent it.
    struct Write: Sendable {
        var fromSecond: Bool
        var method: String
        var path: String
        /// The created object's name (POST), else the last path segment.
        var name: String
    }

    @Test func eachRunIsWrittenByTheOneShardItsLabelsSelect() async throws {
        try await OperatorUnderTest.run(on: .kubesim) { run in
            let sim = try #require(run.cluster as? SimulatedCluster)
            let writes = Mutex<[Write]>([])
            sim.sim.interceptor = { request in
                guard request.method != "GET" else { return nil }
                let second = request.headers["host"]?.hasPrefix("localhost") == true
                var name = String(request.path.split(separator: "/").last ?? "")
                if request.method == "POST",
                    let body = try? JSONDecoder().decode(JSONValue.self, from: Data(request.body)),
                    let created = body["metadata"]?["name"]?.stringValue
                {
                    name = created
                }
                writes.withLock {
                    $0.append(Write(fromSecond: second, method: request.method, path: request.path, name: name))
                }
                return nil
            }
            run.stopOperator()
            let settings = run.operatorSettings
            try FileManager.default.createDirectory(
                atPath: run.directory + "/metadata-shard", withIntermediateDirectories: true)
            try run.operatorProcess.start(
                kubeconfig: run.directory + "/kubeconfig", directory: run.directory + "/metadata-shard",
                settings: settings.merging(["OMJOB_SHARD_SELECTOR": "\(Self.key)=metadata"]) { _, new in new })
            let kubeconfig = run.directory + "/kubeconfig-localhost"
            try OperatorKubeconfig.text(
                server: "\(sim.sim.baseURL)".replacingOccurrences(of: "127.0.0.1", with: "localhost"),
                certificateAuthority: nil, token: SimulatedCluster.token, namespace: sim.namespace
            )
            .write(toFile: kubeconfig, atomically: true, encoding: .utf8)
            try FileManager.default.createDirectory(
                atPath: run.directory + "/other-shard", withIntermediateDirectories: true)
            try run.secondOperator.start(
                kubeconfig: kubeconfig, directory: run.directory + "/other-shard",
                settings: settings.merging(["OMJOB_SHARD_SELECTOR": "\(Self.key)!=metadata"]) { _, new in new })

            let runs: [(name: String, type: String?)] = [
                ("md-0", "metadata"), ("md-1", "metadata"), ("usage-0", "usage"), ("lineage-0", "lineage"),
                ("plain-0", nil),
            ]
            for (name, type) in runs {
                var object = run.omJobObject(name)
                if let type { object["metadata"]?["labels"]?[Self.key] = .string(type) }
                _ = try await run.cluster.create(.omjobs, object)
            }
            for (name, _) in runs {
                try await run.guardedRunningMainPod(name)
                try await run.terminate("\(name)-main", exitCode: 0, reason: "Completed")
            }
            for (name, _) in runs {
                let exit = try await run.waitForExitPod(of: name)
                try await run.finishExitHandler(exit)
                try await run.expectEnded(name, phase: "Succeeded", reason: "Completed", pipelineStatus: "success")
                #expect(try await run.pods(of: name, type: "exit-handler").count == 1, "one exit pod for \(name)")
                try await run.expectNoFinalizers(name)
            }
            let seen = writes.withLock { $0 }
            for (name, type) in runs {
                let mine = seen.filter {
                    $0.name == name || $0.name.hasPrefix("\(name)-") || $0.path.contains("/omjobs/\(name)/")
                }
                let fromMetadataShard = mine.filter { !$0.fromSecond }.count
                let fromOtherShard = mine.filter(\.fromSecond).count
                if type == "metadata" {
                    #expect(
                        fromMetadataShard > 0 && fromOtherShard == 0,
                        "\(name): \(fromMetadataShard) writes from its shard, \(fromOtherShard) from the other")
                } else {
                    #expect(
                        fromOtherShard > 0 && fromMetadataShard == 0,
                        "\(name): \(fromOtherShard) writes from its shard, \(fromMetadataShard) from the other")
                }
            }
            // Two shards, two Leases, each held.
            let leases = try sim.sim.store.list(.leases, namespace: "default").items
            let held = leases.filter {
                ($0["metadata"]?["name"]?.stringValue ?? "").hasPrefix("omjob-operator-sel-")
                    && $0["spec"]?["holderIdentity"]?.stringValue?.isEmpty == false
            }
            #expect(
                held.count == 2,
                "\(leases.map { "\($0["metadata"]?["name"]?.stringValue ?? "?") \($0["spec"]?["holderIdentity"]?.stringValue ?? "none")" })"
            )
        }
    }

    /// A selector the server would refuse stops the operator at start with the setting named.
    @Test func aBadSelectorIsAClearErrorAtStart() async throws {
        try await OperatorUnderTest.run(on: .kubesim) { run in
            run.stopOperator()
            let directory = run.directory + "/bad"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try run.operatorProcess.start(
                kubeconfig: run.directory + "/kubeconfig", directory: directory,
                settings: run.operatorSettings.merging(["OMJOB_SHARD_SELECTOR": "\(Self.key) in metadata"]) { _, new in
                    new
                })
            _ = try await until("the error in the log", timeout: 20) {
                run.operatorProcess.log.contains("OMJOB_SHARD_SELECTOR") ? true : nil
            }
            #expect(run.operatorProcess.log.contains("in metadata"), "\(run.operatorProcess.log.suffix(2000))")
        }
    }
}
