/// A gc setting in the environment that cannot be used; start-up stops with exit code 2 and this message.
public struct GCSettingsError: Error, Hashable, Sendable, CustomStringConvertible {
    public var name: String
    public var value: String
    public var expected: String

    public var description: String { "\(name)=\(value) is invalid: expected \(expected)" }
}

extension GCSettings {
    /// `true`/`false`: delete the OMJob itself after its TTL (default false).
    public static let deleteOMJobAfterTTLKey = "OMJOB_GC_DELETE_OMJOB_AFTER_TTL"
    /// Seconds an operator finalizer may hold an object before it is reported (default 3600).
    public static let staleFinalizerSecondsKey = "OMJOB_GC_STALE_FINALIZER_SECONDS"
    /// TTL for OMJobs without `ttlSecondsAfterFinished` (default 86400).
    public static let defaultTTLSecondsKey = "OMJOB_GC_DEFAULT_TTL_SECONDS"
    /// History limit for CronOMJobs without one (default 3).
    public static let defaultHistoryLimitKey = "OMJOB_GC_DEFAULT_HISTORY_LIMIT"

    /// Reads overrides from the environment; a bad value names the variable.
    public init(environment: [String: String]) throws(GCSettingsError) {
        self.init()
        if let text = environment[Self.deleteOMJobAfterTTLKey], !text.isEmpty {
            switch text.lowercased() {
            case "true", "1", "yes": deleteOMJobAfterTTL = true
            case "false", "0", "no": deleteOMJobAfterTTL = false
            default: throw GCSettingsError(name: Self.deleteOMJobAfterTTLKey, value: text, expected: "true or false")
            }
        }
        staleFinalizerSeconds =
            try Self.number(environment, Self.staleFinalizerSecondsKey, minimum: 1) ?? staleFinalizerSeconds
        defaultTTLSeconds = try Self.number(environment, Self.defaultTTLSecondsKey, minimum: 0) ?? defaultTTLSeconds
        defaultHistoryLimit =
            try Self.number(environment, Self.defaultHistoryLimitKey, minimum: 0) ?? defaultHistoryLimit
    }

    private static func number(_ environment: [String: String], _ name: String, minimum: Int) throws(GCSettingsError)
        -> Int?
    {
        guard let text = environment[name], !text.isEmpty else { return nil }
        guard let value = Int(text), value >= minimum else {
            throw GCSettingsError(name: name, value: text, expected: "a whole number ≥ \(minimum)")
        }
        return value
    }
}
