import BenchHarness
import Foundation
import KubeJSON
import KubeSim
import Synchronization

/// Every change kubesim made to each run's OMJob and pods, in order, with the time since the
/// start: printed beside a violation so it can be explained without the operator's debug log.
final class EventTrail: Sendable {
    private let start = ContinuousClock.now
    private let lines = Mutex<[String: [String]]>([:])

    func attach(to cluster: BenchCluster) throws {
        _ = try cluster.sim.store.watch(.pods, namespace: cluster.namespace, options: .init()) { [self] event in
            let run = event.object[path: ["metadata", "labels", RunRecorder.nameLabel]]?.stringValue ?? "?"
            record(run, event, what: event.object[path: ["metadata", "name"]]?.stringValue ?? "?")
        }
        _ = try cluster.sim.store.watch(BenchCluster.omjobs, namespace: cluster.namespace, options: .init()) {
            [self] event in
            let name = event.object[path: ["metadata", "name"]]?.stringValue ?? "?"
            record(name, event, what: "omjob")
        }
    }

    private func record(_ run: String, _ event: WatchEvent, what: String) {
        let phase = event.object[path: ["status", "phase"]]?.stringValue ?? "-"
        let deleting = event.object[path: ["metadata", "deletionTimestamp"]] != nil ? " deleting" : ""
        let finalizers = event.object[path: ["metadata", "finalizers"]]?.arrayValue?.count ?? 0
        let line =
            "\(stamp(.now)) \(event.type.rawValue) \(what) \(phase)\(deleting) finalizers=\(finalizers) rv=\(event.resourceVersion)"
        lines.withLock { $0[run, default: []].append(line) }
    }

    func stamp(_ instant: ContinuousClock.Instant) -> String {
        String(format: "+%.3fs", (instant - start).milliseconds / 1000)
    }

    /// The run's trail, with the DELETE requests that named its objects.
    func trail(_ run: String, requests: RequestCounter) -> [String] {
        let deletes = requests.deletions.filter {
            $0.path.hasSuffix("/\(run)") || $0.path.hasSuffix("/\(run)-main") || $0.path.hasSuffix("/\(run)-exit")
        }
        return lines.withLock { $0[run] ?? [] } + deletes.map { "\(stamp($0.at)) DELETE request \($0.path)" }
    }
}
