import Foundation
import TestSupport

/// Reads the supervisor's `/metrics` and picks samples out of its text.
enum MetricsProbe {
    /// The text of `/metrics`, or nil when the port does not answer.
    static func text(port: Int) -> String? {
        try? LoopbackHTTP.get(port: port, path: "/metrics").body
    }

    /// The value of the sample `name` whose labels include every pair of `labels` (a series
    /// without labels matches empty `labels`).
    static func value(_ text: String, _ name: String, _ labels: [String: String]) -> Double? {
        for line in text.split(separator: "\n")
        where line.hasPrefix(name + "{") || (labels.isEmpty && line.hasPrefix(name + " ")) {
            guard labels.allSatisfy({ line.contains("\($0.key)=\"\($0.value)\"") }) else { continue }
            return line.split(separator: " ").last.flatMap { Double($0) }
        }
        return nil
    }
}
