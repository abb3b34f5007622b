import Foundation

/// Polls `condition` until it returns a value or `timeout` passes; errors inside count as "not
/// yet" (a server busy for a moment is not a failed scenario). The timeout only bounds a hang:
/// no scenario asserts how long anything took. 50 ms between polls: the real server is shared
/// by every scenario running at once.
func until<T>(_ what: String, timeout: Double = 60, _ condition: () async throws -> T?) async throws -> T {
    let deadline = Date().addingTimeInterval(timeout)
    var lastError: (any Error)?
    while true {
        do {
            if let value = try await condition() { return value }
        } catch {
            lastError = error
        }
        if Date() > deadline {
            throw IntegrationFailure("timed out waiting for \(what)" + (lastError.map { " (last error: \($0))" } ?? ""))
        }
        try await Task.sleep(for: .milliseconds(50))
    }
}

/// Timestamps as the kubelet writes them (RFC 3339, seconds).
enum ScenarioClock {
    static func timestamp(_ date: Date = Date()) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}

/// Polls `condition` every 50 ms until it holds or `timeout` passes; returns whether it held, for
/// an `#expect` that prints the operator's log. Errors inside count as "not yet". The timeout
/// only bounds a hang: no test asserts on how long anything took.
func becomesTrue(timeout: Double = 30, _ condition: () async throws -> Bool) async -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if (try? await condition()) == true { return true }
        try? await Task.sleep(for: .milliseconds(50))
    }
    return (try? await condition()) == true
}
