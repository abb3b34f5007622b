import Logging

/// Typed reads of settings that name the variable in every error.
struct SettingReader {
    let environment: [String: String]

    /// The raw value; an empty variable counts as unset (as in a Deployment with `value: ""`).
    func optional(_ setting: Setting) -> String? {
        guard let value = environment[setting.name], !value.isEmpty else { return setting.defaultValue }
        return value
    }

    func string(_ setting: Setting) -> String { optional(setting) ?? "" }

    func int(_ setting: Setting, in range: ClosedRange<Int>) throws(ConfigError) -> Int {
        let raw = string(setting)
        guard let value = Int(raw.trimmed), range.contains(value) else {
            throw ConfigError(
                setting: setting.name, value: raw,
                expected: "an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    func logLevel(_ setting: Setting) throws(ConfigError) -> Logger.Level {
        let raw = string(setting)
        guard let level = Logger.Level(operatorName: raw) else {
            throw ConfigError(setting: setting.name, value: raw, expected: "one of TRACE, DEBUG, INFO, WARN, ERROR")
        }
        return level
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
