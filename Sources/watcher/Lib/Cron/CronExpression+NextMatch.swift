import Models

extension CronExpression {
    /// How far ahead the search looks: one whole Gregorian cycle, after which the calendar
    /// repeats, so a schedule with no match in it has none at all.
    static let searchHorizonYears = 400

    /// The first wall-clock minute at or after `start` that the expression matches.
    ///
    /// Jumps field by field (month, then day, then hour, then minute) with bit-set lookups, so
    /// `0 0 29 2 *` costs a few dozen steps, not millions of minutes; `0 0 31 * *` skips the
    /// months without a 31st because their day loop finds nothing.
    func nextMatch(atOrAfter start: WallMinute) -> WallMinute? {
        var (year, month, day, hour, minute) = (start.year, start.month, start.day, start.hour, start.minute)
        let lastYear = year + Self.searchHorizonYears
        while year <= lastYear {
            guard let matchedMonth = months.next(atLeast: month) else {
                (year, month, day, hour, minute) = (year + 1, 1, 1, 0, 0)
                continue
            }
            if matchedMonth != month { (month, day, hour, minute) = (matchedMonth, 1, 0, 0) }
            guard let matchedDay = nextDay(year: year, month: month, from: day) else {
                (month, day, hour, minute) = (month + 1, 1, 0, 0)
                continue
            }
            if matchedDay != day { (day, hour, minute) = (matchedDay, 0, 0) }
            guard let matchedHour = hours.next(atLeast: hour) else {
                (day, hour, minute) = (day + 1, 0, 0)
                continue
            }
            if matchedHour != hour { (hour, minute) = (matchedHour, 0) }
            guard let matchedMinute = minutes.next(atLeast: minute) else {
                (hour, minute) = (hour + 1, 0)
                continue
            }
            return WallMinute(year: year, month: month, day: day, hour: hour, minute: matchedMinute)
        }
        return nil
    }

    /// The first day ≥ `from` of the month that matches both day fields, or nil.
    private func nextDay(year: Int, month: Int, from: Int) -> Int? {
        let last = CivilDate.days(inMonth: month, year: year)
        guard from <= last else { return nil }
        var weekday = CivilDate.weekday(daysSinceEpoch: CivilDate.daysSinceEpoch(year: year, month: month, day: from))
        for day in from...last {
            if matchesDay(day, weekday: weekday) { return day }
            weekday = weekday == 6 ? 0 : weekday + 1
        }
        return nil
    }
}
