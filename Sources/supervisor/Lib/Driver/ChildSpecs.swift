import Shared

#if canImport(Glibc)
    import Glibc
#endif

/// The operator's tree from its configuration: executors first, then the watcher, then the gc,
/// so that shutdown (reverse order) stops the producers of work before the executors.
public enum OperatorChildren {
    public static func specs(config: OperatorConfig, shutdownTimeout: Duration) -> [ChildSpec] {
        let directory = executableDirectory()
        func program(_ role: String) -> String { config.childCommands[role] ?? "\(directory)/omjob-\(role)" }
        return [
            ChildSpec(
                role: "executor", executable: program("executor"), count: config.executorWorkers,
                shutdownTimeout: shutdownTimeout),
            ChildSpec(role: "watcher", executable: program("watcher"), shutdownTimeout: shutdownTimeout),
            ChildSpec(role: "gc", executable: program("gc"), shutdownTimeout: shutdownTimeout),
        ]
    }

    /// The directory holding this executable (`/proc/self/exe`), where the role executables sit.
    static func executableDirectory() -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard length > 0 else { return "." }
        let path = String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
    }
}
