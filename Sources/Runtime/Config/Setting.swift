/// One environment variable the operator reads: its name, default, meaning, and whether its
/// value must never be shown (`/info` and logs print `<redacted>`).
public struct Setting: Sendable, Equatable {
    public var name: String
    /// The value used when the variable is unset or empty; nil means "none".
    public var defaultValue: String?
    public var help: String
    public var isSecret: Bool

    public init(_ name: String, default defaultValue: String?, _ help: String, secret: Bool = false) {
        self.name = name
        self.defaultValue = defaultValue
        self.help = help
        self.isSecret = secret
    }
}

/// Why start-up stops: a setting has a value that cannot be used. Exit code 2 (see ``exitCode``).
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

    /// The exit code for a bad setting, shared by every executable.
    public static let exitCode: Int32 = 2

    public var description: String {
        "invalid value \"\(value)\" for \(setting): expected \(expected)"
    }
}
