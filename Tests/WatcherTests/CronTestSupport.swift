import Foundation

/// Parses an RFC 3339 timestamp with an explicit offset (`2026-03-08T03:00:00-04:00`) to epoch
/// seconds, so test tables state instants the way a human checks them against a calendar.
func epoch(_ text: String) -> Int64 {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    guard let date = formatter.date(from: text) else { fatalError("bad timestamp in test table: \(text)") }
    return Int64(date.timeIntervalSince1970)
}

/// Renders epoch seconds as UTC RFC 3339, for readable failure messages.
func rfc3339(_ seconds: Int64?) -> String {
    guard let seconds else { return "nil" }
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
}
