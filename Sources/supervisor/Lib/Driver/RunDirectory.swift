#if canImport(Glibc)
    import Glibc
#endif

/// The private directory holding `broker.sock`: created mode 0700 (whatever the umask), and
/// refused if it exists but belongs to another user, because then someone else could reach the socket.
struct RunDirectory {
    let path: String
    let createdByUs: Bool

    var socketPath: String { path + "/broker.sock" }

    enum Failure: Error, CustomStringConvertible {
        case cannotCreate(String, Int32)
        case notOurs(String, UInt32)

        var description: String {
            switch self {
            case .cannotCreate(let path, let code): return "cannot create \(path): \(String(cString: strerror(code)))"
            case .notOurs(let path, let uid): return "\(path) belongs to uid \(uid), not to us"
            }
        }
    }

    /// Prepares `configured` (default a fresh directory in /tmp). A shared directory that is not
    /// ours but anyone may write to (a Kubernetes emptyDir is root-owned, mode 0777 or 1777) gets a
    /// private `omjob-<uid>` subdirectory instead, so the socket is still ours alone.
    static func prepare(_ configured: String?) throws(Failure) -> RunDirectory {
        let path = configured ?? "/tmp/omjob-\(getuid())-\(getpid())"
        var info = stat()
        if stat(path, &info) == 0, info.st_uid != getuid(), info.st_mode & S_IFMT == S_IFDIR, info.st_mode & 0o002 != 0
        {
            return try prepareOwn(path + "/omjob-\(getuid())")
        }
        return try prepareOwn(path)
    }

    private static func prepareOwn(_ path: String) throws(Failure) -> RunDirectory {
        var created = false
        if mkdir(path, 0o700) == 0 {
            created = true
        } else if errno != EEXIST {
            throw .cannotCreate(path, errno)
        }
        var info = stat()
        guard stat(path, &info) == 0 else { throw .cannotCreate(path, errno) }
        guard info.st_uid == getuid() else { throw .notOurs(path, info.st_uid) }
        guard chmod(path, 0o700) == 0 else { throw .cannotCreate(path, errno) }
        return RunDirectory(path: path, createdByUs: created)
    }

    func remove() {
        unlink(socketPath)
        if createdByUs { rmdir(path) }
    }
}
