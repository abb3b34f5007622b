import BenchHarness
import Foundation

/// The floor on the same kubesim, same load shape: main pods submitted with the same number in
/// flight and the same schedule (main pod `index` runs as long as the operator's main pod
/// `index`), each in a namespace of its own; a minimal client creates each exit pod.
enum FloorPhase {
    static func run(
        cluster: BenchCluster, schedule: RunSchedule, runs: Int, inFlight: Int, into result: inout ScheduleResult
    ) async throws {
        let namespace = "floor-" + schedule.mode
        try cluster.createNamespace(namespace)
        let recorder = RunRecorder()
        try recorder.attach(to: cluster.sim, namespace: namespace)
        let floor = try await FloorClient.start(cluster: cluster, namespace: namespace, recorder: recorder)
        do {
            let elapsed = try await Submitter.run(
                total: runs, inFlight: inFlight,
                submit: { index in
                    let pod = FloorClient.floorPod(
                        "f-\(index)", type: "main", namespace: namespace, annotations: schedule.mainAnnotations(index))
                    _ = try cluster.sim.store.create(.pods, namespace: namespace, object: pod)
                }, finished: { recorder.finished })
            result.compare(
                toFloor: LatencySummary(recorder.exitStartLatencies), endings: recorder.endingPace(firstWave: inFlight),
                runsPerSecond: Double(runs) / (elapsed.milliseconds / 1000))
        } catch {
            await floor.stop()
            throw error
        }
        await floor.stop()
    }
}
