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
        let envelopes = decision.commands.compactMap { command -> CommandEnvelope? in
            // Encoding a model cannot fail short of a bug; dropping the command is safe (decided again).
            guard let payload = try? JSONValue.encoded(from: command) else { return nil }
            return CommandEnvelope(id: command.id, key: command.key, payload: payload)
        }
        let versionBound = decision.commands.filter(\.isVersionBound).map(\.id)
        return Reconciliation(commands: envelopes, versionBound: Set(versionBound), nextLook: decision.nextLook)
    }
}

extension Command {
    /// Carries the observed resourceVersion as a precondition (the status patch, directly or after a fresh read).
    var isVersionBound: Bool {
        switch action {
        case .patchOMJobStatus, .confirmPodAbsent: true
        default: false
        }
    }
}
