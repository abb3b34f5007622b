#if canImport(Glibc)
    import Glibc
#endif

/// When the supervisor is PID 1 (no tini), orphaned grandchildren are re-parented to it and must
/// be reaped, or they stay zombies. libuv reaps its own children by pid; calling `waitpid(-1)`
/// would steal their exit statuses, so this reaps only zombie children libuv does not know.
public enum OrphanReaper {
    /// Reaps every zombie child of this process whose pid is not in `known`; returns their pids.
    @discardableResult
    public static func reap(excluding known: Set<Int32>) -> [Int32] {
        let me = getpid()
        var reaped: [Int32] = []
        guard let dir = opendir("/proc") else { return [] }
        defer { closedir(dir) }
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) {
                String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard let pid = Int32(name), !known.contains(pid), isZombieChild(pid: pid, of: me) else { continue }
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid { reaped.append(pid) }
        }
        return reaped
    }

    /// Reads `/proc/PID/stat`: "pid (comm) state ppid …"; comm may hold spaces and parentheses.
    static func isZombieChild(pid: Int32, of parent: Int32) -> Bool {
        guard let file = fopen("/proc/\(pid)/stat", "r") else { return false }
        defer { fclose(file) }
        var buffer = [CChar](repeating: 0, count: 512)
        guard fgets(&buffer, Int32(buffer.count), file) != nil else { return false }
        let line = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard let close = line.lastIndex(of: ")") else { return false }
        let fields = line[line.index(after: close)...].split(separator: " ")
        return fields.count >= 2 && fields[0] == "Z" && Int32(fields[1]) == parent
    }
}
