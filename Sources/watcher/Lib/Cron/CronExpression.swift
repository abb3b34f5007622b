import Foundation

/// A parsed five-field cron expression (minute hour day-of-month month day-of-week).
///
/// Semantics follow Kubernetes CronJob (robfig/cron v3 `ParseStandard`): lists, ranges and
/// steps; month and weekday names, case-insensitive; `N/step` meaning `N-max/step`; when both
/// day fields are restricted a day matches if EITHER matches (the Vixie cron OR rule), when
/// one is `*` both must. Two additions: 7 is Sunday too (Vixie cron), and `@annually`-style
/// macros are accepted. `TZ=`/`CRON_TZ=` prefixes are rejected, as Kubernetes does, because
/// the time zone has its own field.
public struct CronExpression: Hashable, Sendable, CustomStringConvertible {
    /// 0–59.
    public let minutes: CronField
    /// 0–23.
    public let hours: CronField
    /// 1–31.
    public let daysOfMonth: CronField
    /// 1–12.
    public let months: CronField
    /// 0–6, Sunday = 0.
    public let daysOfWeek: CronField
    /// The text it was parsed from, trimmed.
    public let source: String

    /// The macros and the five fields each stands for.
    static let macros: [String: String] = [
        "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *",
        "@weekly": "0 0 * * 0", "@daily": "0 0 * * *", "@midnight": "0 0 * * *",
        "@hourly": "0 * * * *",
    ]

    /// Parses `text`; the error names the field at fault.
    public init(parsing text: String) throws(CronParseError) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        source = trimmed
        var fieldsText = trimmed
        if trimmed.hasPrefix("@") {
            guard let expansion = Self.macros[trimmed.lowercased()] else {
                throw CronParseError(
                    field: nil, text: trimmed,
                    reason: "unknown macro (use @yearly, @annually, @monthly, @weekly, @daily, @midnight or @hourly)")
            }
            fieldsText = expansion
        }
        if trimmed.hasPrefix("TZ=") || trimmed.hasPrefix("CRON_TZ=") {
            throw CronParseError(
                field: nil, text: trimmed,
                reason: "a time zone in the schedule is not supported; set spec.timeZone instead")
        }
        let fields = fieldsText.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard fields.count == 5 else {
            throw CronParseError(
                field: nil, text: trimmed,
                reason: "expected 5 fields (minute hour day-of-month month day-of-week), found \(fields.count)")
        }
        minutes = try CronField.parse(String(fields[0]), as: .minute)
        hours = try CronField.parse(String(fields[1]), as: .hour)
        daysOfMonth = try CronField.parse(String(fields[2]), as: .dayOfMonth)
        months = try CronField.parse(String(fields[3]), as: .month)
        daysOfWeek = try CronField.parse(String(fields[4]), as: .dayOfWeek)
        try rejectImpossibleDays()
    }

    public var description: String { source }

    /// Whether the civil day matches the day-of-month / day-of-week pair, with the OR rule.
    @inline(__always)
    func matchesDay(_ day: Int, weekday: Int) -> Bool {
        let dom = daysOfMonth.contains(day)
        let dow = daysOfWeek.contains(weekday)
        if daysOfMonth.isStar || daysOfWeek.isStar { return dom && dow }
        return dom || dow
    }

    /// `0 0 30 2 *` would never run; say so at parse time rather than searching forever.
    private func rejectImpossibleDays() throws(CronParseError) {
        // Only with a `*` day of week does the day of month alone decide (no OR rule to rescue it).
        guard daysOfWeek.isStar, !daysOfMonth.isStar else { return }
        let possible = months.values.contains { month in
            (1...CivilDate.maxDays(inMonth: month)).contains(where: daysOfMonth.contains)
        }
        if !possible {
            throw CronParseError(
                field: .dayOfMonth, text: source, reason: "no selected month has any of the selected days")
        }
    }
}
