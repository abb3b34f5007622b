import BenchHarness
import Foundation
import KubeSim
import Synchronization

/// Plays the user who deletes a running main pod (`kubectl delete pod`, graceful or forced):
/// each registered run's main pod is deleted once it is Running.
final class MainPodDeleter: Sendable {
    private let pending = Mutex<[String: Int64]>([:])
    private let flag = StopFlag()
    private let task = Mutex<Task<Void, Never>?>(nil)
    private let deleted = Atomic<Int>(0)

    func add(run: String, grace: Int64) { pending.withLock { $0[run] = grace } }

    func start(cluster: BenchCluster) {
        let handle = Task.detached { [self] in
            while flag.isSet {
                for (run, grace) in pending.withLock({ $0 }) where deleteIfRunning(run, grace: grace, cluster: cluster)
                {
                    _ = pending.withLock { $0.removeValue(forKey: run) }
                    deleted.add(1, ordering: .relaxed)
                }
                try? await Task.sleep(for: .milliseconds(50))
            }
        }
        task.withLock { $0 = handle }
    }

    private func deleteIfRunning(_ run: String, grace: Int64, cluster: BenchCluster) -> Bool {
        guard let pod = try? cluster.sim.store.get(.pods, namespace: cluster.namespace, name: "\(run)-main"),
            pod[path: ["status", "phase"]]?.stringValue == "Running"
        else { return false }
        _ = try? cluster.sim.store.delete(
            .pods, namespace: cluster.namespace, name: "\(run)-main", options: .init(gracePeriodSeconds: grace))
        return true
    }

    func stop() async {
        flag.clear()
        await task.withLock { $0 }?.value
    }

    var count: Int { deleted.load(ordering: .relaxed) }
    var waiting: Int { pending.withLock { $0.count } }
}
