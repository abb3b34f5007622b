import BenchHarness
import Foundation
import KubeSim

/// Start to ready with many finished OMJobs already in the cluster, and the tree's memory
/// once it knows them all.
enum ReadyPhase {
    static func run(cluster: BenchCluster, settings: [String: String], known: Int, into result: inout BenchResult)
        async throws
    {
        let existing = cluster.omJobs().count
        for index in existing..<max(existing, known) {
            let name = "done-\(index)"
            _ = try cluster.sim.store.create(
                BenchCluster.omjobs, namespace: cluster.namespace,
                object: OMJobFactory.omJob(name, namespace: cluster.namespace))
            _ = try cluster.sim.store.patch(
                BenchCluster.omjobs, namespace: cluster.namespace, name: name, type: .merge,
                patch: ["status": ["phase": "Succeeded", "mainPodName": .string("\(name)-main")]], subresource: .status)
        }
        result.readyOMJobs = cluster.omJobs().count
        let tree = try OperatorTree(cluster: cluster, settings: settings)
        let clock = ContinuousClock()
        let started = clock.now
        try tree.start()
        defer { tree.stop() }
        try await tree.waitUntilReady(timeout: 300)
        result.startToReadySeconds = (clock.now - started).milliseconds / 1000
        try await Task.sleep(for: .seconds(2))
        result.withReadyOMJobs = tree.sample()
    }
}
