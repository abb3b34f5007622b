import Foundation
import KubeJSON
import Shared

/// The OMJob controller: the pure `RunDecider` over the cache's observation of one run.
public struct RunController: Controller {
    public let name = "omjob"
    public let settings: RunSettings

    public init(settings: RunSettings) { self.settings = settings }

    public func reconcile(_ key: ObjectKey, cache: WatchCache, now: Date) -> Reconciliation {
        guard let observation = cache.observation(for: key) else { return Reconciliation() }
        let decision = RunDecider.decide(observation, now: now, settings: settings)
        let planned = decision.commands.map { PlannedCommand(id: $0.id, key: $0.key, command: $0) }
        let versionBound = decision.commands.filter(\.isVersionBound).map(\.id)
        var result = Reconciliation(commands: planned, versionBound: Set(versionBound), nextLook: decision.nextLook)
        for command in decision.commands {
            let counters = Self.counters(for: command, decision: decision)
            if !counters.isEmpty { result.countedOnDone[command.id] = counters }
        }
        return result
    }
}

extension RunController {
    /// The Java operator's metrics (pods created, phase transitions) plus endings by reason.
    static func counters(for command: Command, decision: RunDecision) -> [CounterKey] {
        switch command.action {
        case .createPod(let create):
            return [CounterKey("omjob_pods_created_total", ["type": create.podType == .main ? "main" : "exit-handler"])]
        case .patchOMJobStatus, .confirmPodAbsent, .confirmPodUnchanged:
            var counters: [CounterKey] = []
            if let transition = decision.transition {
                counters.append(CounterKey("omjob_status_transitions_total",
                                           ["from_phase": transition.from?.rawValue ?? "", "to_phase": transition.to.rawValue]))
            }
            if let ending = decision.recordedEnding {
                counters.append(CounterKey("omjob_main_pod_endings_total", ["reason": ending.reason]))
            }
            return counters
        default:
            return []
        }
    }
}

extension Command {
    /// Carries the observed resourceVersion as a precondition (the status patch, directly or after a fresh read).
    var isVersionBound: Bool {
        switch action {
        case .patchOMJobStatus, .confirmPodAbsent, .confirmPodUnchanged: true
        default: false
        }
    }
}
