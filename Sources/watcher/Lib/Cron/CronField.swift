/// The set of values one cron field matches, as a bit set (bit n = value n).
public struct CronField: Hashable, Sendable {
    /// Bit n is set when value n matches. Day of week is folded to 0–6 (7 becomes 0).
    public let bits: UInt64
    /// True when the field was written as an unrestricted `*` or `?` (a step of 1 allowed).
    /// Only day of month and day of week use it: the OR rule applies when neither is a star.
    public let isStar: Bool

    init(bits: UInt64, isStar: Bool) {
        self.bits = bits
        self.isStar = isStar
    }

    /// Whether `value` matches.
    @inline(__always)
    public func contains(_ value: Int) -> Bool { bits & (1 << UInt64(value)) != 0 }

    /// The smallest matching value ≥ `value`, or nil when none is left in this field.
    @inline(__always)
    func next(atLeast value: Int) -> Int? {
        guard value < 64 else { return nil }
        let remaining = bits & (~0 << UInt64(value))
        return remaining == 0 ? nil : remaining.trailingZeroBitCount
    }

    /// The matching values in ascending order (for tests and descriptions).
    public var values: [Int] { (0..<64).filter(contains) }
}

extension CronField {
    /// Parses one field: a comma-separated list of `*`, `N`, `N-M`, each optionally `/step`.
    static func parse(_ text: String, as kind: CronFieldKind) throws(CronParseError) -> CronField {
        var bits: UInt64 = 0
        var star = false
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let parsed = try parseItem(Substring(item), kind: kind, whole: text)
            bits |= parsed.bits
            star = star || parsed.isStar
        }
        if kind == .dayOfWeek, bits & (1 << 7) != 0 {
            bits = (bits & ~(1 << 7)) | 1  // Vixie cron: 7 is Sunday too.
        }
        return CronField(bits: bits, isStar: star)
    }

    private static func parseItem(_ item: Substring, kind: CronFieldKind, whole: String) throws(CronParseError)
        -> CronField
    {
        func fail(_ reason: String) -> CronParseError { CronParseError(field: kind, text: whole, reason: reason) }
        guard !item.isEmpty else { throw fail("empty list element") }
        let rangeAndStep = item.split(separator: "/", omittingEmptySubsequences: false)
        guard rangeAndStep.count <= 2 else { throw fail("too many '/' in \"\(item)\"") }
        var step = 1
        if rangeAndStep.count == 2 {
            guard let parsed = Int(rangeAndStep[1]), parsed > 0 else {
                throw fail("step \"\(rangeAndStep[1])\" must be a positive number")
            }
            step = parsed
        }
        let (low, high, isStar) = try parseRange(
            rangeAndStep[0], kind: kind, hasStep: rangeAndStep.count == 2, fail: fail)
        var bits: UInt64 = 0
        for value in stride(from: low, through: high, by: step) { bits |= 1 << UInt64(value) }
        // robfig/cron (Kubernetes): `*/n` with n > 1 is a restriction, not a star.
        return CronField(bits: bits, isStar: isStar && step == 1)
    }

    private static func parseRange(
        _ text: Substring, kind: CronFieldKind, hasStep: Bool, fail: (String) -> CronParseError
    ) throws(CronParseError) -> (Int, Int, Bool) {
        let starMax = kind == .dayOfWeek ? 6 : kind.max
        if text == "*" || (text == "?" && (kind == .dayOfMonth || kind == .dayOfWeek)) {
            return (kind.min, starMax, true)
        }
        let bounds = text.split(separator: "-", omittingEmptySubsequences: false)
        guard bounds.count <= 2 else { throw fail("too many '-' in \"\(text)\"") }
        let low = try value(bounds[0], kind: kind, fail: fail)
        // "N/step" means N through the field's maximum, as in robfig/cron and Vixie cron.
        let high = bounds.count == 2 ? try value(bounds[1], kind: kind, fail: fail) : (hasStep ? starMax : low)
        guard low <= high else { throw fail("range \"\(text)\" starts after it ends") }
        return (low, high, false)
    }

    private static func value(_ text: Substring, kind: CronFieldKind, fail: (String) -> CronParseError)
        throws(CronParseError) -> Int
    {
        if !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(text) {
            guard number >= kind.min, number <= kind.max else {
                throw fail("\(number) is outside \(kind.min)-\(kind.max)")
            }
            return number
        }
        if let index = kind.names.firstIndex(of: text.uppercased()) { return index + kind.firstNameValue }
        if kind.names.isEmpty { throw fail("\"\(text)\" is not a number") }
        throw fail("\"\(text)\" is neither a number nor a name (\(kind.names.first!)-\(kind.names.last!))")
    }
}
