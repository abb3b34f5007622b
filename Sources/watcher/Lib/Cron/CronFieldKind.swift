/// One of the five positions of a cron expression, with the values it admits.
public enum CronFieldKind: Int, CaseIterable, Hashable, Sendable {
    /// 0–59.
    case minute
    /// 0–23.
    case hour
    /// 1–31.
    case dayOfMonth
    /// 1–12 or JAN–DEC.
    case month
    /// 0–7 or SUN–SAT; 0 and 7 are both Sunday.
    case dayOfWeek

    /// The name used in error messages.
    public var displayName: String {
        switch self {
        case .minute: "minute"
        case .hour: "hour"
        case .dayOfMonth: "day of month"
        case .month: "month"
        case .dayOfWeek: "day of week"
        }
    }

    /// Smallest value a user may write.
    var min: Int {
        switch self {
        case .minute, .hour, .dayOfWeek: 0
        case .dayOfMonth, .month: 1
        }
    }

    /// Largest value a user may write (7 for day of week: Vixie cron's second Sunday).
    var max: Int {
        switch self {
        case .minute: 59
        case .hour: 23
        case .dayOfMonth: 31
        case .month: 12
        case .dayOfWeek: 7
        }
    }

    /// Three-letter names accepted instead of numbers (case-insensitive), index = value - offset.
    var names: [String] {
        switch self {
        case .month: ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
        case .dayOfWeek: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]
        default: []
        }
    }

    /// The value of the first name in `names`.
    var firstNameValue: Int { self == .month ? 1 : 0 }
}
