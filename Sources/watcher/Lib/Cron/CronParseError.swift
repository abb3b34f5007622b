/// Why a `schedule` string was rejected; the message names the field so a human can fix it.
public struct CronParseError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The field at fault (`minute`, `hour`, `day of month`, `month`, `day of week`), or nil
    /// when the expression as a whole is wrong (field count, unknown macro).
    public var field: CronFieldKind?
    /// The offending text as the user wrote it.
    public var text: String
    /// What is wrong with it.
    public var reason: String

    public init(field: CronFieldKind?, text: String, reason: String) {
        self.field = field
        self.text = text
        self.reason = reason
    }

    public var description: String {
        if let field { return "invalid \(field.displayName) field \"\(text)\": \(reason)" }
        return "invalid schedule \"\(text)\": \(reason)"
    }
}
