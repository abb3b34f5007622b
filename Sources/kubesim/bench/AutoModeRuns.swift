import Foundation
import KubeJSON
import KubeSim

/// Automatic mode at scale: N pods created, scheduled on 10 nodes, admitted, started and ended
/// by the policy (manual clock, so the run time costs nothing), counted per second of wall time.
enum AutoModeRuns {
    static func run(pods count: Int) throws -> String {
        let store = ObjectStore()
        let cluster = SimCluster(
            store: store,
            configuration: .init(
                clock: .manual(ManualClock()), nodes: 10,
                autoPolicy: AutoPolicy(runSeconds: 5, exitCode: 0)))
        defer { cluster.shutdown() }
        let started = monotonicNanos()
        for index in 0..<count {
            let pod: JSONValue = [
                "apiVersion": "v1", "kind": "Pod", "metadata": ["name": .string("auto-\(index)")],
                "spec": ["restartPolicy": "Never", "containers": [["name": "main", "image": "busybox:1.36"]]],
            ]
            _ = try store.create(.pods, namespace: "default", object: pod)
        }
        cluster.settle()
        let running = monotonicNanos()
        cluster.advance(by: 5)
        let finished = monotonicNanos()
        let succeeded = try store.list(
            .pods, namespace: "default", options: .init(fieldSelector: "status.phase=Succeeded")
        ).items.count
        let seconds = Double(finished - started) / 1e9
        return String(
            format:
                "automatic mode: %d pods created→Running→Succeeded in %.2f s (%.0f runs/s; to Running %.2f s); %d Succeeded",
            count, seconds, Double(count) / seconds, Double(running - started) / 1e9, succeeded)
    }
}
