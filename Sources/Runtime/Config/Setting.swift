import Logging

/// One environment variable the operator reads: its name, default, meaning, the values it
/// accepts, which process reads it, and whether its value must never be shown (`/info` and logs
/// print `<redacted>`).
public struct Setting: Sendable, Equatable {
    public var name: String
    /// The value used when the variable is unset or empty; nil means "none".
    public var defaultValue: String?
    public var help: String
    /// The values accepted; the supervisor checks every setting against it before starting any child.
    public var rule: SettingRule
    /// The process whose behaviour the setting changes.
    public var readBy: SettingReader.Role
    public var isSecret: Bool

    public init(
        _ name: String, default defaultValue: String?, _ help: String, rule: SettingRule = .text,
        readBy: SettingReader.Role = .everyProcess, secret: Bool = false
    ) {
        self.name = name
        self.defaultValue = defaultValue
        self.help = help
        self.rule = rule
        self.readBy = readBy
        self.isSecret = secret
    }

    /// The default of an `.integer` setting (0 when it has none).
    public var defaultInteger: Int { defaultValue.flatMap { Int($0) } ?? 0 }

    /// The error for this setting's value in `environment`, or nil when the rule accepts it.
    public func problem(in environment: [String: String]) -> ConfigError? {
        let reader = SettingReader(environment: environment)
        do {
            switch rule {
            case .text: return nil
            case .integer: _ = try reader.int(self)
            case .boolean: _ = try reader.bool(self)
            case .logLevel: _ = try reader.logLevel(self)
            case .choice: _ = try reader.choice(self)
            case .dnsLabel: _ = try reader.dnsLabel(self)
            }
            return nil
        } catch {
            return error
        }
    }
}

/// The values a setting accepts. Values are trimmed; an empty value means the default.
public enum SettingRule: Sendable, Equatable {
    /// Any value.
    case text
    /// A whole number in the range.
    case integer(ClosedRange<Int>)
    /// true/false (also 1/0, yes/no), any case.
    case boolean
    /// TRACE, DEBUG, INFO, WARN or ERROR (also swift-log's names), any case.
    case logLevel
    /// One of the words, any case.
    case choice([String])
    /// Empty, or a DNS label of at most `limit` characters.
    case dnsLabel(limit: Int)

    /// What the rule accepts, for error messages.
    var expected: String {
        switch self {
        case .text: return "any value"
        case .integer(let range) where range.upperBound == Int.max: return "a whole number ≥ \(range.lowerBound)"
        case .integer(let range): return "an integer from \(range.lowerBound) to \(range.upperBound)"
        case .boolean: return "true or false"
        case .logLevel: return "one of TRACE, DEBUG, INFO, WARN, ERROR"
        case .choice(let words): return words.joined(separator: " or ")
        case .dnsLabel(let limit): return "a DNS label (a-z, 0-9, -; at most \(limit) characters)"
        }
    }
}

/// Why start-up stops: a setting has a value that cannot be used. Every executable exits with
/// ``exitCode`` for it, and the supervisor never restarts a child that exits with it.
public struct ConfigError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The variable at fault.
    public var setting: String
    public var value: String
    public var expected: String

    public init(setting: String, value: String, expected: String) {
        self.setting = setting
        self.value = value
        self.expected = expected
    }

    /// The exit code for a bad setting, shared by every executable: s6's "usage or configuration
    /// error", which restarting cannot mend.
    public static let exitCode: Int32 = 100

    public var description: String {
        "invalid value \"\(value)\" for \(setting): expected \(expected)"
    }
}
