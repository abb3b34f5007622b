import Foundation
import Shared

/// Operator-wide defaults for the limits that bound a run; each may be overridden per OMJob
/// by the matching optional spec field.
public struct RunSettings: Hashable, Sendable {
    /// Longest a main pod may stay unstarted (image pull, unschedulable, config error).
    public var mainPodStartDeadline: TimeInterval = 600
    /// How long the main pod's node may be not Ready before the run records NodeLost; 300 s matches
    /// the default `tolerationSeconds` of the not-ready/unreachable taints, after which Kubernetes
    /// itself would evict the pod.
    public var nodeLostThreshold: TimeInterval = 300
    /// Retries of a failed exit handler.
    public var exitHandlerBackoffLimit = 3
    /// First retry delay; doubled per retry up to `exitHandlerMaxBackoff`.
    public var exitHandlerBackoff: TimeInterval = 10
    public var exitHandlerMaxBackoff: TimeInterval = 300
    /// Longest an exit-handler pod may stay unstarted.
    public var exitHandlerStartDeadline: TimeInterval = 300
    /// Longest an exit-handler pod may run; exit_handler.py takes seconds, so an hour means it hangs.
    public var exitHandlerActiveDeadline: TimeInterval = 3600
    /// Longest a deleted OMJob is held to stop its main pod and run its exit handler.
    public var killDeadline: TimeInterval = 900
    /// Time granted past a pod's `deletionTimestamp` (which already includes its grace period) for the
    /// kubelet to report how the container ended, before the run records PodDeleted without it.
    public var deletionReportSlack: TimeInterval = 30

    public init() {}

    /// The environment variables that override the defaults, each in whole seconds (or a count).
    public static var environmentKeys: [(name: String, keyPath: WritableKeyPath<RunSettings, TimeInterval>)] {
        [
            ("OMJOB_MAIN_POD_START_DEADLINE_SECONDS", \.mainPodStartDeadline),
            ("OMJOB_NODE_LOST_THRESHOLD_SECONDS", \.nodeLostThreshold),
            ("OMJOB_EXIT_HANDLER_BACKOFF_SECONDS", \.exitHandlerBackoff),
            ("OMJOB_EXIT_HANDLER_MAX_BACKOFF_SECONDS", \.exitHandlerMaxBackoff),
            ("OMJOB_EXIT_HANDLER_START_DEADLINE_SECONDS", \.exitHandlerStartDeadline),
            ("OMJOB_EXIT_HANDLER_ACTIVE_DEADLINE_SECONDS", \.exitHandlerActiveDeadline),
            ("OMJOB_KILL_DEADLINE_SECONDS", \.killDeadline),
            ("OMJOB_DELETION_REPORT_SLACK_SECONDS", \.deletionReportSlack),
        ]
    }

    /// Name of the variable holding `exitHandlerBackoffLimit`.
    public static let backoffLimitKey = "OMJOB_EXIT_HANDLER_BACKOFF_LIMIT"

    /// Every variable `init(environment:)` reads, for `--help` and the README.
    public static var environmentNames: [String] { environmentKeys.map(\.name) + [backoffLimitKey] }

    /// Reads overrides from the environment; a bad value names the variable (start-up exits with 2).
    public init(environment: [String: String]) throws(RunSettingsError) {
        self.init()
        for (name, keyPath) in Self.environmentKeys {
            guard let text = environment[name], !text.isEmpty else { continue }
            guard let seconds = Int(text), seconds > 0 else { throw RunSettingsError(name: name, value: text) }
            self[keyPath: keyPath] = TimeInterval(seconds)
        }
        if let text = environment[Self.backoffLimitKey], !text.isEmpty {
            guard let limit = Int(text), limit >= 0 else {
                throw RunSettingsError(name: Self.backoffLimitKey, value: text)
            }
            exitHandlerBackoffLimit = limit
        }
    }
}

/// A run setting in the environment that is not a valid number.
public struct RunSettingsError: Error, Hashable, CustomStringConvertible {
    public var name: String
    public var value: String

    public var description: String { "\(name)=\(value) is not a valid whole number of seconds (or count)" }
}

/// The limits of one run: the OMJob's own fields where set, the operator's defaults otherwise.
struct RunLimits: Hashable, Sendable {
    var activeDeadline: TimeInterval?
    var mainPodStartDeadline: TimeInterval
    var nodeLostThreshold: TimeInterval
    var exitHandlerBackoffLimit: Int
    var exitHandlerBackoff: TimeInterval
    var exitHandlerMaxBackoff: TimeInterval
    var exitHandlerStartDeadline: TimeInterval
    var exitHandlerActiveDeadline: TimeInterval
    var killDeadline: TimeInterval
    var deletionReportSlack: TimeInterval

    init(spec: OMJobSpec?, settings: RunSettings) {
        func seconds(_ value: Int?) -> TimeInterval? { value.flatMap { $0 > 0 ? TimeInterval($0) : nil } }
        activeDeadline = seconds(spec?.activeDeadlineSeconds)
        mainPodStartDeadline = seconds(spec?.mainPodStartDeadlineSeconds) ?? settings.mainPodStartDeadline
        nodeLostThreshold = seconds(spec?.nodeLostThresholdSeconds) ?? settings.nodeLostThreshold
        exitHandlerBackoffLimit = max(0, spec?.exitHandlerBackoffLimit ?? settings.exitHandlerBackoffLimit)
        exitHandlerBackoff = seconds(spec?.exitHandlerBackoffSeconds) ?? settings.exitHandlerBackoff
        exitHandlerMaxBackoff = max(settings.exitHandlerMaxBackoff, exitHandlerBackoff)
        exitHandlerStartDeadline = seconds(spec?.exitHandlerStartDeadlineSeconds) ?? settings.exitHandlerStartDeadline
        exitHandlerActiveDeadline =
            seconds(spec?.exitHandlerActiveDeadlineSeconds) ?? settings.exitHandlerActiveDeadline
        killDeadline = seconds(spec?.killDeadlineSeconds) ?? settings.killDeadline
        deletionReportSlack = settings.deletionReportSlack
    }

    /// Delay before retrying after attempt `attempt` (1-based) failed: backoff · 2^(attempt-1), capped.
    func retryDelay(afterAttempt attempt: Int) -> TimeInterval {
        let doublings = min(max(attempt - 1, 0), 20)
        return min(exitHandlerBackoff * Double(1 << doublings), exitHandlerMaxBackoff)
    }
}
