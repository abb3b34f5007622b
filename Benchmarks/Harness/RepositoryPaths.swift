import Foundation

/// Where the repository's files and the built executables are.
public enum RepositoryPaths {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    public static let crds = root.appendingPathComponent("deploy/crds").path
    public static let results = root.appendingPathComponent("bench-results").path

    /// The directory of the running executable: the operator's executables are built beside it.
    public static var binaries: String {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent().path
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
