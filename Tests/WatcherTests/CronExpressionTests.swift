import Testing

@testable import Watcher

@Suite struct CronExpressionTests {
    struct FieldCase: Sendable, CustomTestStringConvertible {
        var schedule: String
        var field: CronFieldKind
        var values: [Int]
        var testDescription: String { "\(schedule) \(field.displayName)" }
    }

    static let fieldCases: [FieldCase] = [
        .init(schedule: "*/5 * * * *", field: .minute, values: Array(stride(from: 0, through: 55, by: 5))),
        .init(schedule: "1-10/2 * * * *", field: .minute, values: [1, 3, 5, 7, 9]),
        .init(schedule: "5/20 * * * *", field: .minute, values: [5, 25, 45]),
        .init(schedule: "0,15,45 * * * *", field: .minute, values: [0, 15, 45]),
        .init(schedule: "0 9-17 * * *", field: .hour, values: Array(9...17)),
        .init(schedule: "0 */6 * * *", field: .hour, values: [0, 6, 12, 18]),
        .init(schedule: "0 0 ? * MON", field: .dayOfMonth, values: Array(1...31)),
        .init(schedule: "0 0 1,15 * *", field: .dayOfMonth, values: [1, 15]),
        .init(schedule: "0 0 * JAN,mar-May *", field: .month, values: [1, 3, 4, 5]),
        .init(schedule: "0 0 * Dec *", field: .month, values: [12]),
        .init(schedule: "0 0 * * sun", field: .dayOfWeek, values: [0]),
        .init(schedule: "0 0 * * 7", field: .dayOfWeek, values: [0]),
        .init(schedule: "0 0 * * 0,7", field: .dayOfWeek, values: [0]),
        .init(schedule: "0 0 * * 5-7", field: .dayOfWeek, values: [0, 5, 6]),
        .init(schedule: "0 0 * * Mon-FRI", field: .dayOfWeek, values: [1, 2, 3, 4, 5]),
        .init(schedule: "0 0 * * */2", field: .dayOfWeek, values: [0, 2, 4, 6]),
        .init(schedule: "@weekly", field: .dayOfWeek, values: [0]),
        .init(schedule: "@hourly", field: .minute, values: [0]),
        .init(schedule: "@HOURLY", field: .hour, values: Array(0...23)),
        .init(schedule: "@yearly", field: .month, values: [1]),
        .init(schedule: "@annually", field: .dayOfMonth, values: [1]),
        .init(schedule: "@monthly", field: .dayOfMonth, values: [1]),
        .init(schedule: "@daily", field: .hour, values: [0]),
        .init(schedule: "@midnight", field: .minute, values: [0]),
        .init(schedule: "  0\t0 * * *  ", field: .hour, values: [0]),
    ]

    @Test(arguments: fieldCases)
    func parsesFieldValues(_ c: FieldCase) throws {
        let expression = try CronExpression(parsing: c.schedule)
        let field =
            switch c.field {
            case .minute: expression.minutes
            case .hour: expression.hours
            case .dayOfMonth: expression.daysOfMonth
            case .month: expression.months
            case .dayOfWeek: expression.daysOfWeek
            }
        #expect(field.values == c.values)
    }

    /// robfig/cron's rule: only an unstepped `*` (or `?`) counts as unrestricted.
    @Test(arguments: [
        ("0 0 * * *", true, true), ("0 0 */2 * *", false, true), ("0 0 */1 * *", true, true),
        ("0 0 ? * MON", true, false), ("0 0 1-31 * *", false, true), ("0 0 * * */1", true, true),
    ])
    func starFlags(schedule: String, domStar: Bool, dowStar: Bool) throws {
        let expression = try CronExpression(parsing: schedule)
        #expect(expression.daysOfMonth.isStar == domStar)
        #expect(expression.daysOfWeek.isStar == dowStar)
    }

    @Test(arguments: [
        ("@annually", "@yearly"), ("@midnight", "@daily"), ("@daily", "0 0 * * *"), ("@weekly", "0 0 * * SUN"),
    ])
    func macrosEqualTheirExpansion(_ macro: String, _ expansion: String) throws {
        let a = try CronExpression(parsing: macro)
        let b = try CronExpression(parsing: expansion)
        #expect(
            [a.minutes, a.hours, a.daysOfMonth, a.months, a.daysOfWeek] == [
                b.minutes, b.hours, b.daysOfMonth, b.months, b.daysOfWeek,
            ])
    }

    struct ErrorCase: Sendable, CustomTestStringConvertible {
        var schedule: String
        var field: CronFieldKind?
        var message: String
        var testDescription: String { "\"\(schedule)\"" }
    }

    static let errorCases: [ErrorCase] = [
        .init(
            schedule: "", field: nil, message: "expected 5 fields (minute hour day-of-month month day-of-week), found 0"
        ),
        .init(schedule: "* * * *", field: nil, message: "found 4"),
        .init(schedule: "0 * * * * *", field: nil, message: "found 6"),
        .init(schedule: "60 * * * *", field: .minute, message: "invalid minute field \"60\": 60 is outside 0-59"),
        .init(schedule: "* 24 * * *", field: .hour, message: "invalid hour field \"24\": 24 is outside 0-23"),
        .init(
            schedule: "* * 0 * *", field: .dayOfMonth, message: "invalid day of month field \"0\": 0 is outside 1-31"),
        .init(schedule: "* * * 13 *", field: .month, message: "invalid month field \"13\": 13 is outside 1-12"),
        .init(schedule: "* * * * 8", field: .dayOfWeek, message: "invalid day of week field \"8\": 8 is outside 0-7"),
        .init(schedule: "*/0 * * * *", field: .minute, message: "step \"0\" must be a positive number"),
        .init(schedule: "*/x * * * *", field: .minute, message: "step \"x\" must be a positive number"),
        .init(schedule: "5-1 * * * *", field: .minute, message: "range \"5-1\" starts after it ends"),
        .init(schedule: "* * * FOO *", field: .month, message: "\"FOO\" is neither a number nor a name (JAN-DEC)"),
        .init(
            schedule: "* * * * MONDAY", field: .dayOfWeek,
            message: "\"MONDAY\" is neither a number nor a name (SUN-SAT)"),
        .init(schedule: "* * MON * *", field: .dayOfMonth, message: "\"MON\" is not a number"),
        .init(schedule: "1,,2 * * * *", field: .minute, message: "empty list element"),
        .init(schedule: "1, * * * *", field: .minute, message: "empty list element"),
        .init(schedule: "1-2-3 * * * *", field: .minute, message: "too many '-'"),
        .init(schedule: "1/2/3 * * * *", field: .minute, message: "too many '/'"),
        .init(schedule: "? * * * *", field: .minute, message: "\"?\" is not a number"),
        .init(schedule: "+5 * * * *", field: .minute, message: "\"+5\" is not a number"),
        .init(schedule: "-5 * * * *", field: .minute, message: "\"\" is not a number"),
        .init(schedule: "@every 5m", field: nil, message: "unknown macro"),
        .init(schedule: "@reboot", field: nil, message: "unknown macro"),
        .init(schedule: "TZ=UTC 0 * * * *", field: nil, message: "set spec.timeZone instead"),
        .init(schedule: "CRON_TZ=Europe/Berlin 0 * * * *", field: nil, message: "set spec.timeZone instead"),
        .init(schedule: "0 0 30 2 *", field: .dayOfMonth, message: "no selected month has any of the selected days"),
        .init(schedule: "0 0 31 4,6,9,11 *", field: .dayOfMonth, message: "no selected month"),
    ]

    @Test(arguments: errorCases)
    func rejectsWithFieldNamed(_ c: ErrorCase) {
        #expect {
            try CronExpression(parsing: c.schedule)
        } throws: { error in
            guard let error = error as? CronParseError else { return false }
            return error.field == c.field && error.description.contains(c.message)
        }
    }

    /// With the OR rule a restricted day of week rescues an impossible day of month.
    @Test func impossibleDayOfMonthIsFineWhenWeekdayAlsoRestricted() throws {
        let expression = try CronExpression(parsing: "0 0 30 2 MON")
        #expect(expression.daysOfMonth.values == [30])
    }
}
