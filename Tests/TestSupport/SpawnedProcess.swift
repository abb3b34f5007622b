import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A child process started with `posix_spawn`: what the test process uses instead of
/// Foundation's `Process`.
///
/// Why not `Process`: on Linux, `Process.run()` looks for the highest open descriptor by reading
/// /proc/self/fd and copies all 256 bytes of every entry's `d_name`, although glibc's entries
/// are 24 bytes long (swiftlang/swift-corelibs-foundation#5472; still in our 6.3.1 toolchain).
/// Once the process holds more than ~1350 descriptors, the listing fills glibc's 32 KiB readdir
/// buffer and the last copies read past its end: ASan reports a heap-buffer-overflow in
/// `findMaximumOpenFromProcSelfFD`, and when the next page is unmapped the test process dies of
/// SIGSEGV in memmove. With every suite running in parallel the test process holds ~1450
/// descriptors at its peak (about 200 event loops and their connections): CI's one SIGSEGV.
///
/// The child gets the given stdio and nothing else (every other descriptor is closed in it, as
/// `Process` does); it is reaped by `isRunning`/`waitExit`, by pid, never with `waitpid(-1)`.
public final class SpawnedProcess: Sendable {
    /// Where the child's stdin comes from.
    public enum Input: Sendable {
        case null
        /// A pipe whose write end is `stdinWriter`.
        case pipe
    }

    /// Where the child's stdout or stderr goes.
    public enum Output: Sendable {
        case null
        /// Appended to this existing file.
        case file(String)
        /// A pipe whose read end is `stdoutReader` / `stderrReader`.
        case pipe
    }

    /// How a reaped child ended.
    public enum Termination: Equatable, Sendable {
        case exited(Int32)
        case signaled(Int32)
    }

    public let pid: pid_t
    /// The parent's ends of the pipes asked for (closed when released).
    public let stdinWriter: FileHandle?
    public let stdoutReader: FileHandle?
    public let stderrReader: FileHandle?
    private let ended = Mutex<Termination?>(nil)

    /// Starts `executable` (a path: no PATH search) with `arguments` and exactly `environment`,
    /// in `directory` if given.
    public init(executable: String, arguments: [String] = [], environment: [String: String], directory: String? = nil,
                stdin: Input = .null, stdout: Output = .null, stderr: Output = .null) throws {
        let plan = try StdioPlan(stdin: stdin, stdout: stdout, stderr: stderr)
        defer { plan.closeChildEnds() }
        do {
            pid = try Self.spawn([executable] + arguments, environment: environment, directory: directory, plan: plan)
        } catch {
            plan.closeParentEnds()
            throw error
        }
        stdinWriter = plan.parentEnd(0)
        stdoutReader = plan.parentEnd(1)
        stderrReader = plan.parentEnd(2)
    }

    /// True until the child has exited (and then it is reaped here).
    public var isRunning: Bool { reap() == nil }

    /// How the child ended, once it has.
    public var termination: Termination? { reap() }

    /// The exit code, or the signal number for a child a signal ended (as `Process` reports it).
    public var terminationStatus: Int32? {
        switch termination {
        case .exited(let code), .signaled(let code): code
        case nil: nil
        }
    }

    /// Waits for the child to end, polling (a blocking wait would hold a cooperative thread);
    /// its exit status or signal number as `terminationStatus`, nil on timeout.
    public func waitExit(timeout: Double) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while isRunning {
            if Date() >= deadline { return nil }
            usleep(10_000)
        }
        return terminationStatus
    }

    /// Waits for the child without a time limit (for short helper programs).
    @discardableResult
    public func waitUntilExit() -> Termination {
        while true {
            if let ended = reap() { return ended }
            // Waits without reaping and outside the lock, so `signal` and `isRunning` stay usable
            // from other threads meanwhile; the reap above then collects the status.
            var info = siginfo_t()
            while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) != 0, errno == EINTR {}
        }
    }

    public func signal(_ signal: Int32) {
        ended.withLock { if $0 == nil { _ = kill(pid, signal) } }  // never a pid that may have been reused
    }

    private func reap() -> Termination? {
        ended.withLock { ended in
            if let ended { return ended }
            var status: Int32 = 0
            var result: pid_t
            repeat { result = waitpid(pid, &status, WNOHANG) } while result < 0 && errno == EINTR
            guard result == pid else { return nil }
            let signal = status & 0x7f
            ended = signal == 0 ? .exited((status >> 8) & 0xff) : .signaled(signal)
            return ended
        }
    }

    /// Every signal at its default action and none blocked, as `Process` starts a child: the
    /// test process ignores or blocks some (SIGTERM, SIGPIPE), and a child inherits both.
    private static func defaultSignalAttributes() -> posix_spawnattr_t {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigdefault(&attributes, &all)
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        return attributes
    }

    private static func spawn(_ argv: [String], environment: [String: String], directory: String?, plan: StdioPlan) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let directory { try GNUSpawnActions.changeDirectory(&actions, directory) }
        try plan.addActions(&actions)
        try GNUSpawnActions.closeFrom(&actions, 3)
        let cArgs = argv.map { strdup($0) } + [nil]
        let cEnv = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            cArgs.forEach { free($0) }
            cEnv.forEach { free($0) }
        }
        var attributes = defaultSignalAttributes()
        defer { posix_spawnattr_destroy(&attributes) }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, argv[0], &actions, &attributes, cArgs, cEnv)
        guard result == 0 else { throw SpawnFailure("posix_spawn \(argv[0]): \(String(cString: strerror(result)))") }
        return pid
    }
}

/// The glibc calls `SpawnedProcess` needs beyond POSIX, looked up at run time because
/// their declarations need `_GNU_SOURCE`, which Swift's Glibc module is built without.
private enum GNUSpawnActions {
    private typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32
    private typealias ChangeDirectory = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32

    /// `posix_spawn_file_actions_addclosefrom_np` (glibc 2.34): the child keeps only the
    /// descriptors below `lowest`, as with `Process`, so a test's pipe never stays open in
    /// another test's child.
    static func closeFrom(_ actions: inout posix_spawn_file_actions_t, _ lowest: Int32) throws {
        let function = unsafeBitCast(try symbol("posix_spawn_file_actions_addclosefrom_np"), to: CloseFrom.self)
        try check(function(&actions, lowest), "addclosefrom_np")
    }

    /// `posix_spawn_file_actions_addchdir_np` (glibc 2.29): the child starts in `directory`.
    static func changeDirectory(_ actions: inout posix_spawn_file_actions_t, _ directory: String) throws {
        let function = unsafeBitCast(try symbol("posix_spawn_file_actions_addchdir_np"), to: ChangeDirectory.self)
        try check(directory.withCString { function(&actions, $0) }, "addchdir_np")
    }

    /// `pipe2(fds, O_CLOEXEC)`.
    static func pipeCloseOnExec(_ fds: inout [Int32]) throws {
        let function = unsafeBitCast(try symbol("pipe2"), to: Pipe2.self)
        guard fds.withUnsafeMutableBufferPointer({ function($0.baseAddress!, O_CLOEXEC) }) == 0 else {
            throw SpawnFailure("pipe2: \(String(cString: strerror(errno)))")
        }
    }

    private static func symbol(_ name: String) throws -> UnsafeMutableRawPointer {
        guard let address = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else { throw SpawnFailure("glibc lacks \(name)") }
        return address
    }

    private static func check(_ status: Int32, _ what: String) throws {
        guard status == 0 else { throw SpawnFailure("\(what): \(String(cString: strerror(status)))") }
    }
}

/// Why a child could not be started.
public struct SpawnFailure: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// The descriptors behind one child's stdin, stdout and stderr.
private struct StdioPlan {
    /// Per stdio slot: the descriptor the child gets (or a path to open), and the parent's pipe end.
    private var child: [Int32?] = [nil, nil, nil]
    private var paths: [String?] = [nil, nil, nil]
    private var parent: [Int32?] = [nil, nil, nil]

    init(stdin: SpawnedProcess.Input, stdout: SpawnedProcess.Output, stderr: SpawnedProcess.Output) throws {
        do {
            if case .pipe = stdin { try makePipe(slot: 0) } else { paths[0] = "/dev/null" }
            for (slot, output) in [(1, stdout), (2, stderr)] {
                switch output {
                case .null: paths[slot] = "/dev/null"
                case .file(let path): paths[slot] = path
                case .pipe: try makePipe(slot: slot)
                }
            }
        } catch {
            closeChildEnds()
            closeParentEnds()
            throw error
        }
    }

    /// Both ends close-on-exec from the start: a child another thread spawns meanwhile must
    /// not keep them open (the reader would wait for that child's exit to see EOF).
    private mutating func makePipe(slot: Int) throws {
        var fds: [Int32] = [0, 0]
        try GNUSpawnActions.pipeCloseOnExec(&fds)
        // fds[0] reads, fds[1] writes: the child reads its stdin and writes its outputs.
        (child[slot], parent[slot]) = slot == 0 ? (fds[0], fds[1]) : (fds[1], fds[0])
    }

    func addActions(_ actions: inout posix_spawn_file_actions_t) throws {
        for slot in 0..<3 {
            let status: Int32
            if let fd = child[slot] {
                status = posix_spawn_file_actions_adddup2(&actions, fd, Int32(slot))
            } else {
                let flags = slot == 0 ? O_RDONLY : O_WRONLY | O_APPEND
                status = posix_spawn_file_actions_addopen(&actions, Int32(slot), paths[slot] ?? "/dev/null", flags, 0)
            }
            guard status == 0 else { throw SpawnFailure("file action for fd \(slot): \(String(cString: strerror(status)))") }
        }
    }

    func parentEnd(_ slot: Int) -> FileHandle? {
        parent[slot].map { FileHandle(fileDescriptor: $0, closeOnDealloc: true) }
    }

    func closeChildEnds() { child.compactMap { $0 }.forEach { close($0) } }
    func closeParentEnds() { parent.compactMap { $0 }.forEach { close($0) } }
}
