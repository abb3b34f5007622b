import Foundation

/// metav1.Time and metav1.MicroTime as they appear on the wire: RFC 3339 in UTC
/// (`2025-01-09T15:30:00Z`, `2025-01-09T15:30:00.123456Z`).
///
/// Written by hand rather than with `ISO8601DateFormatter` because the decision function parses
/// several timestamps per pod on every event and the formatter is a shared, locale-aware class
/// that is neither cheap nor `Sendable`; the API server only ever emits this one fixed form.
public enum KubeTime {
    /// Parses `YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)`; nil for anything else.
    public static func parse(_ text: String) -> Date? {
        var text = text
        // Native strings are contiguous UTF-8: parsing in place avoids copying into an array.
        return text.withUTF8 { parse(bytes: $0) }
    }

    private static func parse(bytes b: UnsafeBufferPointer<UInt8>) -> Date? {
        guard b.count >= 20, b[4] == 0x2D, b[7] == 0x2D, b[10] == 0x54 || b[10] == 0x74,
            b[13] == 0x3A, b[16] == 0x3A,
            let year = digits(b, 0, 4), let month = digits(b, 5, 2), let day = digits(b, 8, 2),
            let hour = digits(b, 11, 2), let minute = digits(b, 14, 2), let second = digits(b, 17, 2),
            (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var index = 19
        var fraction = 0.0
        if index < b.count, b[index] == 0x2E {
            index += 1
            var scale = 0.1
            while index < b.count, let d = digit(b[index]) {
                fraction += Double(d) * scale
                scale /= 10
                index += 1
            }
        }
        guard let offset = zoneOffset(b, index) else { return nil }
        let days = CivilDate.daysSinceEpoch(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second - offset
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }

    /// Formats whole seconds in UTC, as metav1.Time does (`2025-01-09T15:30:00Z`).
    public static func format(_ date: Date) -> String {
        let total = Int(date.timeIntervalSince1970.rounded(.down))
        let days = total >= 0 ? total / 86_400 : (total - 86_399) / 86_400
        let secondOfDay = total - days * 86_400
        let (y, m, d) = CivilDate.civil(fromDaysSinceEpoch: days)
        guard (0...9_999).contains(y) else {
            return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(secondOfDay / 3_600, 2)):"
                + "\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2))Z"
        }
        // Digits written in place: every decision stamps its writes, and interpolating padded
        // numbers cost ~5,000 instructions a time.
        return String(unsafeUninitializedCapacity: 20) { out in
            func digits(_ value: Int, _ width: Int, at offset: Int) {
                var value = value
                for i in stride(from: offset + width - 1, through: offset, by: -1) {
                    out[i] = UInt8(ascii: "0") + UInt8(value % 10)
                    value /= 10
                }
            }
            digits(y, 4, at: 0)
            digits(m, 2, at: 5)
            digits(d, 2, at: 8)
            digits(secondOfDay / 3_600, 2, at: 11)
            digits(secondOfDay / 60 % 60, 2, at: 14)
            digits(secondOfDay % 60, 2, at: 17)
            for (i, c) in [(4, "-"), (7, "-"), (10, "T"), (13, ":"), (16, ":"), (19, "Z")] as [(Int, Unicode.Scalar)] {
                out[i] = UInt8(ascii: c)
            }
            return 20
        }
    }

    private static func zoneOffset(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int? {
        guard i < b.count else { return nil }
        if b[i] == 0x5A || b[i] == 0x7A { return i + 1 == b.count ? 0 : nil }
        guard b[i] == 0x2B || b[i] == 0x2D, i + 6 == b.count, b[i + 3] == 0x3A,
            let h = digits(b, i + 1, 2), let m = digits(b, i + 4, 2)
        else { return nil }
        let sign = b[i] == 0x2B ? 1 : -1
        return sign * (h * 3_600 + m * 60)
    }

    private static func digit(_ c: UInt8) -> Int? { (0x30...0x39).contains(c) ? Int(c - 0x30) : nil }

    private static func digits(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ count: Int) -> Int? {
        var value = 0
        for i in start..<(start + count) {
            guard let d = digit(b[i]) else { return nil }
            value = value * 10 + d
        }
        return value
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let s = String(value)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
