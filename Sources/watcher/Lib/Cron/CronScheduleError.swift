/// Why a CronOMJob's `schedule` or `timeZone` cannot be used. Permanent until the user edits it.
public enum CronScheduleError: Error, Hashable, Sendable, CustomStringConvertible {
    /// `spec.schedule` does not parse.
    case invalidSchedule(CronParseError)
    /// `spec.timeZone` is not an IANA time zone name known to this machine's tz database.
    case unknownTimeZone(String)

    public var description: String {
        switch self {
        case .invalidSchedule(let error): "spec.schedule: \(error)"
        case .unknownTimeZone(let name):
            "spec.timeZone: unknown time zone \"\(name)\" (use an IANA name such as Europe/Berlin)"
        }
    }
}
