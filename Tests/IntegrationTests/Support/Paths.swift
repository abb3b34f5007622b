import Foundation

/// Where the repository's files and built products are.
enum Paths {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let crds = root.appendingPathComponent("deploy/crds").path

    /// A built product: `$OMJOB_BIN_DIR`, else `.build/debug` (`make test` builds every product first).
    static func product(_ name: String) throws -> String {
        let environment = ProcessInfo.processInfo.environment["OMJOB_BIN_DIR"]
        let directory =
            environment.flatMap { $0.isEmpty ? nil : $0 } ?? root.appendingPathComponent(".build/debug").path
        let path = directory + "/" + name
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw IntegrationFailure("\(path) is missing: run `swift build` (or `make test`) first")
        }
        return path
    }

    static func temporaryDirectory() throws -> String {
        var template = Array((NSTemporaryDirectory() + "/omjob-it-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw IntegrationFailure("mkdtemp failed") }
        return String(cString: made)
    }
}

/// A step of an integration test that did not happen, with what was seen instead.
struct IntegrationFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Polls `condition` every 20 ms until it holds or `timeout` passes. The timeout only bounds a
/// hang: no test asserts how long anything took. 60 s, because a loaded CI machine has taken
/// over 30 s for a path with a designed 20 s re-check (a refused fresh-read confirmation).
func eventually<T>(_ what: String, timeout: Double = 60, _ condition: () throws -> T?) async throws -> T {
    let deadline = Date().addingTimeInterval(timeout)
    while true {
        if let value = try? condition() { return value }
        if Date() > deadline { throw IntegrationFailure("timed out waiting for \(what)") }
        try await Task.sleep(for: .milliseconds(20))
    }
}
