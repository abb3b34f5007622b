#if canImport(Glibc)
    import Glibc
#endif

/// Starting a child process with `posix_spawn`, the way kubesim's local runtime, the tests and
/// the benchmarks need it: every signal at its default action and none blocked, only the given
/// stdin, stdout and stderr open in the child, pipes that are close-on-exec from the start.
///
/// Written by hand because Foundation's `Process` does none of this reliably here: it does not
/// reset the dispositions a server ignores (SIGTERM/SIGINT stay ignored across exec), cannot
/// start a process group, and on Linux its `run()` over-reads memory once the parent holds more
/// than ~1350 descriptors (it copies 256 bytes of every /proc/self/fd entry's 24-byte `d_name`;
/// swiftlang/swift-corelibs-foundation#5472, still in our 6.3.1 toolchain), which crashed a CI
/// test process with about 1450 descriptors open.
public enum Spawn {
    /// What one of the child's descriptors 0, 1, 2 is.
    public enum Stdio: Sendable {
        /// A descriptor of the parent, duplicated onto it.
        case descriptor(Int32)
        /// A file opened for it (`O_RDONLY` for stdin, appended for the outputs).
        case file(String)
    }

    /// Why a child could not be started: the failing call and its errno.
    public struct Failure: Error, CustomStringConvertible {
        public let errno: Int32
        public let operation: String
        public var description: String { "\(operation): \(String(cString: strerror(errno)))" }
    }

    /// Starts `argv[0]` (searched in the parent's PATH when `searchPath`) with exactly
    /// `environment`, in `directory` if given, with `stdio` as descriptors 0, 1, 2 and nothing
    /// else open; `newProcessGroup` makes it the leader of a group of its own.
    public static func spawn(
        _ argv: [String], environment: [String: String], directory: String? = nil,
        stdio: (Stdio, Stdio, Stdio), newProcessGroup: Bool = false, searchPath: Bool = false
    ) throws(Failure) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let directory { try GNUSpawn.changeDirectory(&actions, directory) }
        for (slot, target) in [stdio.0, stdio.1, stdio.2].enumerated() {
            let status =
                switch target {
                case .descriptor(let fd): posix_spawn_file_actions_adddup2(&actions, fd, Int32(slot))
                case .file(let path):
                    posix_spawn_file_actions_addopen(
                        &actions, Int32(slot), path, slot == 0 ? O_RDONLY : O_WRONLY | O_APPEND, 0)
                }
            guard status == 0 else { throw Failure(errno: status, operation: "file action for descriptor \(slot)") }
        }
        try GNUSpawn.closeFrom(&actions, 3)
        var attributes = defaultSignals(newProcessGroup: newProcessGroup)
        defer { posix_spawnattr_destroy(&attributes) }
        let cArgs = argv.map { strdup($0) } + [nil]
        let cEnv = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            cArgs.forEach { free($0) }
            cEnv.forEach { free($0) }
        }
        var pid: pid_t = 0
        let result =
            searchPath
            ? posix_spawnp(&pid, argv[0], &actions, &attributes, cArgs, cEnv)
            : posix_spawn(&pid, argv[0], &actions, &attributes, cArgs, cEnv)
        guard result == 0 else { throw Failure(errno: result, operation: "posix_spawn \(argv[0])") }
        return pid
    }

    /// A pipe whose ends are both close-on-exec from creation, so that a child another thread
    /// spawns meanwhile cannot keep one open (its reader would see EOF only when that child exits).
    public static func pipe() throws(Failure) -> (read: Int32, write: Int32) {
        var fds: [Int32] = [0, 0]
        try GNUSpawn.pipeCloseOnExec(&fds)
        return (fds[0], fds[1])
    }

    private static func defaultSignals(newProcessGroup: Bool) -> posix_spawnattr_t {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigdefault(&attributes, &all)
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        var flags = POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK
        if newProcessGroup {
            posix_spawnattr_setpgroup(&attributes, 0)
            flags |= POSIX_SPAWN_SETPGROUP
        }
        posix_spawnattr_setflags(&attributes, Int16(flags))
        return attributes
    }
}

/// The glibc calls `Spawn` needs beyond POSIX, looked up at run time because their
/// declarations need `_GNU_SOURCE`, which Swift's Glibc module is built without.
private enum GNUSpawn {
    private typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32
    private typealias ChangeDirectory =
        @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32

    /// `posix_spawn_file_actions_addclosefrom_np` (glibc 2.34): the child keeps only the
    /// descriptors below `lowest`.
    static func closeFrom(_ actions: inout posix_spawn_file_actions_t, _ lowest: Int32) throws(Spawn.Failure) {
        let function = unsafeBitCast(try symbol("posix_spawn_file_actions_addclosefrom_np"), to: CloseFrom.self)
        let status = function(&actions, lowest)
        guard status == 0 else {
            throw Spawn.Failure(errno: status, operation: "posix_spawn_file_actions_addclosefrom_np")
        }
    }

    /// `posix_spawn_file_actions_addchdir_np` (glibc 2.29): the child starts in `directory`.
    static func changeDirectory(_ actions: inout posix_spawn_file_actions_t, _ directory: String) throws(Spawn.Failure)
    {
        let function = unsafeBitCast(try symbol("posix_spawn_file_actions_addchdir_np"), to: ChangeDirectory.self)
        let status = directory.withCString { function(&actions, $0) }
        guard status == 0 else { throw Spawn.Failure(errno: status, operation: "posix_spawn_file_actions_addchdir_np") }
    }

    /// `pipe2(fds, O_CLOEXEC)`.
    static func pipeCloseOnExec(_ fds: inout [Int32]) throws(Spawn.Failure) {
        let function = unsafeBitCast(try symbol("pipe2"), to: Pipe2.self)
        guard fds.withUnsafeMutableBufferPointer({ function($0.baseAddress!, O_CLOEXEC) }) == 0 else {
            throw Spawn.Failure(errno: errno, operation: "pipe2")
        }
    }

    private static func symbol(_ name: String) throws(Spawn.Failure) -> UnsafeMutableRawPointer {
        guard let address = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else {
            throw Spawn.Failure(errno: ENOSYS, operation: name)
        }
        return address
    }
}
