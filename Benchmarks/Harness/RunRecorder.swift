import KubeJSON
import KubeSim
import Synchronization

/// What kubesim saw of every run, timed where kubesim applies each write (an in-process
/// watch): when the main pod was created, when it first turned terminal, when the first exit pod was created, when
/// the run finished. Works for the operator's pods (by their labels) and the floor's pods.
/// Only runs whose name starts with `runPrefix` count, so that one namespace can hold the runs
/// of several measurements one after the other.
public final class RunRecorder: Sendable {
    public struct Times: Sendable {
        public var mainCreated: ContinuousClock.Instant?
        public var mainEnded: ContinuousClock.Instant?
        public var exitCreated: ContinuousClock.Instant?
        public var finished: ContinuousClock.Instant?
    }

    public static let nameLabel = "omjob.pipelines.openmetadata.org/name"
    public static let podTypeLabel = "omjob.pipelines.openmetadata.org/pod-type"

    private let runs = Mutex<[String: Times]>([:])
    private let finishedCount = Atomic<Int>(0)
    private let runPrefix: String

    public init(runPrefix: String = "") {
        self.runPrefix = runPrefix
    }

    /// Watches pods and OMJobs of `namespace` in `sim`; a run finishes when its OMJob turns terminal.
    public func attach(to sim: KubeSimServer, namespace: String) throws {
        _ = try sim.store.watch(.pods, namespace: namespace, options: .init()) { [self] event in self.pod(event) }
        _ = try sim.store.watch(BenchCluster.omjobs, namespace: namespace, options: .init()) { [self] event in
            guard let name = event.object[path: ["metadata", "name"]]?.stringValue, Self.isTerminal(event.object)
            else { return }
            self.finish(name)
        }
    }

    private func pod(_ event: WatchEvent) {
        let labels = event.object[path: ["metadata", "labels"]]
        guard let run = labels?[Self.nameLabel]?.stringValue, let type = labels?[Self.podTypeLabel]?.stringValue
        else { return }
        observePod(
            run: run, type: type, added: event.type == .added, deleted: event.type == .deleted,
            terminal: Self.isTerminal(event.object))
    }

    /// One change of a run's pod as a watch reported it (`type`: its pod-type label), now.
    public func observePod(run: String, type: String, added: Bool, deleted: Bool, terminal: Bool) {
        guard run.hasPrefix(runPrefix) else { return }
        let now = ContinuousClock.now
        if type == "main", added {
            mark(run) {
                if $0.mainCreated == nil { $0.mainCreated = now }
                return false
            }
        }
        if type == "main", !deleted, terminal {
            mark(run) {
                if $0.mainEnded == nil { $0.mainEnded = now }
                return false
            }
        } else if type == "exit-handler", added {
            mark(run) {
                if $0.exitCreated == nil { $0.exitCreated = now }
                return false
            }
        }
    }

    /// Records the run as finished: its OMJob turned terminal, or, for the floor (which has no
    /// OMJob), its exit pod did.
    public func finish(_ run: String) {
        guard run.hasPrefix(runPrefix) else { return }
        mark(run) {
            if $0.finished == nil {
                $0.finished = .now
                return true
            }
            return false
        }
    }

    private func mark(_ run: String, _ change: (inout Times) -> Bool) {
        let finishedNow = runs.withLock { change(&$0[run, default: Times()]) }
        if finishedNow { finishedCount.add(1, ordering: .relaxed) }
    }

    public var finished: Int { finishedCount.load(ordering: .relaxed) }
    public var all: [String: Times] { runs.withLock { $0 } }

    /// Main pod terminal → exit pod created, in milliseconds, for every run that has both.
    public var exitStartLatencies: [Double] {
        all.values.compactMap { times in
            guard let ended = times.mainEnded, let created = times.exitCreated else { return nil }
            return (created - ended).milliseconds
        }
    }

    /// When the main pods ended, and how many of them ended before the first `firstWave` main
    /// pods had all been created (while submissions were still arriving in a burst).
    public func endingPace(firstWave: Int) -> EndingPace {
        let times = all.values
        let created = times.compactMap(\.mainCreated).sorted()
        let ended = times.compactMap(\.mainEnded)
        guard let origin = created.first ?? ended.min() else { return EndingPace(endings: []) }
        let waveCreated = created.isEmpty ? nil : created[min(firstWave, created.count) - 1]
        return EndingPace(
            endings: ended.map { ($0 - origin).milliseconds / 1000 },
            firstWaveCreated: waveCreated.map { ($0 - origin).milliseconds / 1000 })
    }

    static func isTerminal(_ object: JSONValue) -> Bool {
        ["Succeeded", "Failed"].contains(object[path: ["status", "phase"]]?.stringValue ?? "")
    }
}
