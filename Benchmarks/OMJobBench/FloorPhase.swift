import BenchHarness
import Foundation

/// The floor on the same kubesim, same load shape: main pods submitted with the same number in
/// flight; a minimal client creates each exit pod.
enum FloorPhase {
    static func run(cluster: BenchCluster, runs: Int, inFlight: Int, into result: inout BenchResult) async throws {
        let namespace = "floor"
        try cluster.createNamespace(namespace)
        let recorder = RunRecorder()
        try recorder.attach(to: cluster.sim, namespace: namespace)
        let floor = try await FloorClient.start(cluster: cluster, namespace: namespace, recorder: recorder)
        do {
            let elapsed = try await Submitter.run(total: runs, inFlight: inFlight, submit: { index in
                _ = try cluster.sim.store.create(.pods, namespace: namespace, object: FloorClient.floorPod("f-\(index)", type: "main", namespace: namespace))
            }, finished: { recorder.finished })
            result.floorExitStart = LatencySummary(recorder.exitStartLatencies)
            result.floorRunsPerSecond = Double(runs) / (elapsed.milliseconds / 1000)
        } catch {
            await floor.stop()
            throw error
        }
        await floor.stop()
    }
}
