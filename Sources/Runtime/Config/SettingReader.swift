import Logging

/// Typed reads of settings that check each value against its ``SettingRule`` and name the
/// variable in every error.
public struct SettingReader: Sendable {
    /// The process a setting is meant for (every process reads the whole table; this says whose
    /// behaviour it changes).
    public enum Role: String, Sendable, Equatable {
        case everyProcess = "every process"
        case watcher
        case gc
    }

    public let environment: [String: String]

    public init(environment: [String: String]) {
        self.environment = environment
    }

    /// The raw value; an empty variable counts as unset (as in a Deployment with `value: ""`).
    public func optional(_ setting: Setting) -> String? {
        guard let value = environment[setting.name], !value.isEmpty else { return setting.defaultValue }
        return value
    }

    public func string(_ setting: Setting) -> String { optional(setting) ?? "" }

    /// A whole number within the setting's `.integer` range.
    public func int(_ setting: Setting) throws(ConfigError) -> Int {
        let raw = string(setting)
        guard case .integer(let range) = setting.rule, let value = Int(raw.trimmed), range.contains(value) else {
            throw ConfigError(setting: setting.name, value: raw, expected: setting.rule.expected)
        }
        return value
    }

    public func bool(_ setting: Setting) throws(ConfigError) -> Bool {
        let raw = string(setting)
        switch raw.trimmed.lowercased() {
        case "true", "1", "yes": return true
        case "false", "0", "no": return false
        default: throw ConfigError(setting: setting.name, value: raw, expected: SettingRule.boolean.expected)
        }
    }

    public func logLevel(_ setting: Setting) throws(ConfigError) -> Logger.Level {
        let raw = string(setting)
        guard let level = Logger.Level(operatorName: raw) else {
            throw ConfigError(setting: setting.name, value: raw, expected: SettingRule.logLevel.expected)
        }
        return level
    }

    /// One of the setting's `.choice` words, lowercased.
    public func choice(_ setting: Setting) throws(ConfigError) -> String {
        let raw = string(setting)
        let word = raw.trimmed.lowercased()
        guard case .choice(let words) = setting.rule, words.contains(word) else {
            throw ConfigError(setting: setting.name, value: word, expected: setting.rule.expected)
        }
        return word
    }

    /// The trimmed value when empty or a DNS label within the setting's `.dnsLabel` limit.
    public func dnsLabel(_ setting: Setting) throws(ConfigError) -> String {
        let value = string(setting).trimmed
        guard case .dnsLabel(let limit) = setting.rule, value.isEmpty || OperatorConfig.isDNSLabel(value, limit: limit)
        else {
            throw ConfigError(setting: setting.name, value: value, expected: setting.rule.expected)
        }
        return value
    }
}

extension String {
    var trimmed: String { String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed()) }
}

extension Logger.Level {
    /// Parses the Java operator's level names (logback: TRACE…ERROR) and swift-log's, any case.
    public init?(operatorName: String) {
        switch operatorName.trimmed.lowercased() {
        case "trace": self = .trace
        case "debug": self = .debug
        case "info": self = .info
        case "notice": self = .notice
        case "warn", "warning": self = .warning
        case "error": self = .error
        case "critical", "fatal": self = .critical
        default: return nil
        }
    }
}
