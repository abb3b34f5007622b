import Foundation

/// Where the repository's files and the built executables are.
public enum RepositoryPaths {
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    public static let crds = root.appendingPathComponent("deploy/crds").path
    public static let results = root.appendingPathComponent("bench-results").path

    /// The operator's executables: `OMJOB_BIN_DIR` when set (for example `.build-release/image`,
    /// the image's one static executable and its links), else the directory of the running
    /// executable, where a release build puts them beside it.
    public static var binaries: String {
        if let directory = ProcessInfo.processInfo.environment["OMJOB_BIN_DIR"], !directory.isEmpty { return directory }
        return URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent().path
    }

    public static func temporaryDirectory(prefix: String) throws -> String {
        var template = Array((NSTemporaryDirectory() + "/\(prefix)-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw HarnessError("mkdtemp failed: errno \(errno)") }
        return String(cString: made)
    }
}

/// A step of a benchmark that could not happen.
public struct HarnessError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
