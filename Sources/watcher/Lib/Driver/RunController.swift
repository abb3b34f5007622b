import BrokerProtocol
import Foundation
import KubeJSON
import Models
import Runtime

/// The OMJob controller: the pure `RunDecider` over the cache's observation of one run.
public struct RunController: Controller {
    public let name = "omjob"
    public let settings: RunSettings

    public init(settings: RunSettings) { self.settings = settings }

    public func reconcile(_ key: ObjectKey, cache: WatchCache, now: Date) -> Reconciliation {
        guard let observation = cache.observation(for: key) else { return Reconciliation() }
        let decision = RunDecider.decide(observation, now: now, settings: settings)
        let planned = decision.commands.map(PlannedCommand.init)
        let versionBound = decision.commands.filter(\.isVersionBound).map(\.id)
        var result = Reconciliation(commands: planned, versionBound: Set(versionBound), nextLook: decision.nextLook)
        for command in decision.commands {
            let counters = Self.counters(for: command, decision: decision)
            if !counters.isEmpty { result.countedOnDone[command.id] = counters }
            let observations = Self.observations(for: command, decision: decision)
            if !observations.isEmpty { result.observedOnDone[command.id] = observations }
        }
        return result
    }
}

extension RunController {
    /// The first exit pod's start latency, and a finished run's duration by final phase.
    static func observations(for command: Command, decision: RunDecision) -> [Observation] {
        switch command.action {
        case .createPod(let create) where create.podType == .exitHandler && create.attempt == 1:
            return [Observation(WatcherHistograms.exitHandlerStartLatency)]
        case .patchOMJobStatus, .confirmPodAbsent:
            guard let phase = decision.transition?.to, phase.isFinished, let status = decision.status,
                let start = status.startTime.flatMap(KubeTime.parse),
                let end = status.completionTime.flatMap(KubeTime.parse)
            else { return [] }
            return [
                Observation(
                    WatcherHistograms.runDuration, ["phase": phase.rawValue],
                    value: max(0, end.timeIntervalSince(start)))
            ]
        default:
            return []
        }
    }
}

extension RunController {
    /// The Java operator's metrics (pods created, phase transitions) plus endings by reason.
    static func counters(for command: Command, decision: RunDecision) -> [CounterKey] {
        switch command.action {
        case .createPod(let create):
            return [
                CounterKey(
                    MetricCatalogue.podsCreated.name, ["type": create.podType == .main ? "main" : "exit-handler"])
            ]
        case .patchOMJobStatus, .confirmPodAbsent, .confirmPodUnchanged:
            var counters: [CounterKey] = []
            if let transition = decision.transition {
                counters.append(
                    CounterKey(
                        MetricCatalogue.statusTransitions.name,
                        ["from_phase": transition.from?.rawValue ?? "", "to_phase": transition.to.rawValue]))
            }
            if let ending = decision.recordedEnding {
                counters.append(CounterKey(MetricCatalogue.mainPodEndings.name, ["reason": ending.reason]))
            }
            return counters
        default:
            return []
        }
    }
}

extension Command {
    /// The informer change that may undo this command's effect, as `WatcherDriver` names a run's
    /// changes (`omjob`, `pod/<name>`); nil for events, which no informer watches, and for a
    /// schedule's writes, whose decision reads the runs themselves.
    var awaitedObject: AwaitedChange? {
        switch action {
        case .createPod(let create): AwaitedChange("pod/" + (create.pod.name ?? ""), deletionOnly: true)
        case .stopPod(let target), .deletePod(let target): AwaitedChange("pod/" + target.name)
        case .addFinalizer(let change), .removeFinalizer(let change):
            switch change.target {
            case .omJob: AwaitedChange("omjob")
            case .pod(let name, _): AwaitedChange("pod/" + name)
            }
        case .patchOMJobStatus, .confirmPodAbsent, .confirmPodUnchanged: AwaitedChange("omjob")
        case .recordEvent, .createOMJob, .deleteOMJob, .patchCronOMJobStatus: nil
        }
    }

    /// Carries the observed resourceVersion as a precondition (the status patch, directly or after a fresh read).
    var isVersionBound: Bool {
        switch action {
        case .patchOMJobStatus, .confirmPodAbsent, .confirmPodUnchanged, .patchCronOMJobStatus: true
        default: false
        }
    }
}
