import Foundation
import Models
import Runtime

/// Operator-wide defaults for the limits that bound a run; each may be overridden per OMJob
/// by the matching optional spec field. Names, defaults and accepted values are in ``Settings``.
public struct RunSettings: Hashable, Sendable {
    /// Longest a main pod may stay unstarted (image pull, unschedulable, config error).
    public var mainPodStartDeadline = Self.defaultSeconds(Settings.mainPodStartDeadline)
    /// How long the main pod's node may be not Ready before the run records NodeLost.
    public var nodeLostThreshold = Self.defaultSeconds(Settings.nodeLostThreshold)
    /// Retries of a failed exit handler.
    public var exitHandlerBackoffLimit = Settings.exitHandlerBackoffLimit.defaultInteger
    /// First retry delay; doubled per retry up to `exitHandlerMaxBackoff`.
    public var exitHandlerBackoff = Self.defaultSeconds(Settings.exitHandlerBackoff)
    /// Cap of the retry delay.
    public var exitHandlerMaxBackoff = Self.defaultSeconds(Settings.exitHandlerMaxBackoff)
    /// Longest an exit-handler pod may stay unstarted.
    public var exitHandlerStartDeadline = Self.defaultSeconds(Settings.exitHandlerStartDeadline)
    /// Longest an exit-handler pod may run.
    public var exitHandlerActiveDeadline = Self.defaultSeconds(Settings.exitHandlerActiveDeadline)
    /// Longest a deleted OMJob is held to stop its main pod and run its exit handler.
    public var killDeadline = Self.defaultSeconds(Settings.killDeadline)
    /// Time granted past a pod's `deletionTimestamp` for the kubelet to report how the container ended.
    public var deletionReportSlack = Self.defaultSeconds(Settings.deletionReportSlack)

    public init() {}

    /// The settings that override the defaults, each in whole seconds.
    public static var environmentKeys: [(setting: Setting, keyPath: WritableKeyPath<RunSettings, TimeInterval>)] {
        [
            (Settings.mainPodStartDeadline, \.mainPodStartDeadline),
            (Settings.nodeLostThreshold, \.nodeLostThreshold),
            (Settings.exitHandlerBackoff, \.exitHandlerBackoff),
            (Settings.exitHandlerMaxBackoff, \.exitHandlerMaxBackoff),
            (Settings.exitHandlerStartDeadline, \.exitHandlerStartDeadline),
            (Settings.exitHandlerActiveDeadline, \.exitHandlerActiveDeadline),
            (Settings.killDeadline, \.killDeadline),
            (Settings.deletionReportSlack, \.deletionReportSlack),
        ]
    }

    /// Every variable `init(environment:)` reads.
    public static var environmentNames: [String] {
        environmentKeys.map(\.setting.name) + [Settings.exitHandlerBackoffLimit.name]
    }

    /// Reads overrides from the environment; a bad value names the variable (start-up exits with
    /// ``ConfigError/exitCode``).
    public init(environment: [String: String]) throws(ConfigError) {
        self.init()
        let reader = SettingReader(environment: environment)
        for (setting, keyPath) in Self.environmentKeys {
            self[keyPath: keyPath] = TimeInterval(try reader.int(setting))
        }
        exitHandlerBackoffLimit = try reader.int(Settings.exitHandlerBackoffLimit)
    }

    private static func defaultSeconds(_ setting: Setting) -> TimeInterval { TimeInterval(setting.defaultInteger) }
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
