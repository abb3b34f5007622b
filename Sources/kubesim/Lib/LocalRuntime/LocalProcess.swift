import Foundation
import NIOConcurrencyHelpers

#if canImport(Glibc)
import Glibc
#endif

/// One container command running as a local process in its own process group, with stdout
/// and stderr on one pipe. Hand-written over posix_spawn because Foundation's `Process`
/// neither resets the signal dispositions kubesim ignores (SIGTERM/SIGINT are inherited as
/// ignored across exec) nor starts a process group we can signal as a whole.
///
/// Guarantees: the process is signalled only while it has not been reaped (its pid cannot
/// have been reused); `onOutput` gets every byte before `onExit` is called once.
final class LocalProcess: Sendable {
    let pid: pid_t
    private let reaped = NIOLockedValueBox(false)

    /// Spawns `argv` with `environment`; nil `argv[0]` resolution errors surface as `SpawnError`.
    init(argv: [String], environment: [String: String], onOutput: @escaping @Sendable ([UInt8]) -> Void,
         onExit: @escaping @Sendable (ContainerExit) -> Void) throws {
        var fds: [Int32] = [0, 0]
        // pipe2 is not visible to Swift here; processes are only spawned from the cluster queue,
        // so marking close-on-exec right after pipe() races with no other spawn of ours.
        guard pipe(&fds) == 0 else { throw SpawnError(errno: errno, command: argv.first ?? "") }
        let (readEnd, writeEnd) = (fds[0], fds[1])
        _ = fcntl(readEnd, F_SETFD, FD_CLOEXEC)
        _ = fcntl(writeEnd, F_SETFD, FD_CLOEXEC)
        let spawned = Self.spawn(argv: argv, environment: environment, output: writeEnd)
        close(writeEnd)
        guard case .success(let pid) = spawned else {
            close(readEnd)
            if case .failure(let error) = spawned { throw error }
            throw SpawnError(errno: EINVAL, command: argv.first ?? "")
        }
        self.pid = pid
        let drained = DispatchSemaphore(value: 0)
        Thread {
            Self.drain(readEnd, onOutput)
            drained.signal()
        }.start()
        let reaped = self.reaped
        Thread {
            let exit = Self.waitForExit(pid, reaped: reaped)
            // Output written just before exit belongs in the log before the pod turns terminal.
            _ = drained.wait(timeout: .now() + 5)
            onExit(exit)
        }.start()
    }

    /// Sends `signal` to the whole process group, unless the process was already reaped.
    func signal(_ signal: Int32) {
        reaped.withLockedValue { done in
            if !done { _ = killpg(pid, signal) }
        }
    }

    var hasExited: Bool { reaped.withLockedValue { $0 } }

    private static func spawn(argv: [String], environment: [String: String], output: Int32) -> Result<pid_t, SpawnError> {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, output, 1)
        posix_spawn_file_actions_adddup2(&actions, output, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigdefault(&attributes, &all)
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        let cArgs = argv.map { strdup($0) } + [nil]
        let cEnv = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            cArgs.forEach { free($0) }
            cEnv.forEach { free($0) }
        }
        var pid: pid_t = 0
        let result = posix_spawnp(&pid, argv[0], &actions, &attributes, cArgs, cEnv)
        return result == 0 ? .success(pid) : .failure(SpawnError(errno: result, command: argv[0]))
    }

    private static func drain(_ fd: Int32, _ onOutput: @Sendable ([UInt8]) -> Void) {
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count > 0 { onOutput(Array(buffer[0..<count])); continue }
            if count < 0, errno == EINTR { continue }
            break
        }
        close(fd)
    }

    /// Waits without reaping (the pid stays ours while `signal` may still use it), marks the
    /// process reaped under the lock, then reaps it. 128+n for a signal, as a runtime reports.
    private static func waitForExit(_ pid: pid_t, reaped: NIOLockedValueBox<Bool>) -> ContainerExit {
        var info = siginfo_t()
        while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) != 0, errno == EINTR {}
        var status: Int32 = 0
        reaped.withLockedValue { done in
            while waitpid(pid, &status, 0) < 0, errno == EINTR {}
            done = true
        }
        let signal = status & 0x7f
        return signal == 0 ? .exited((status >> 8) & 0xff) : .signaled(signal)
    }
}

/// The command could not be started (the runtime's StartError).
struct SpawnError: Error, CustomStringConvertible {
    var errno: Int32
    var command: String
    var description: String {
        errno == ENOENT
            ? "exec: \"\(command)\": executable file not found in $PATH"
            : "exec: \"\(command)\": \(String(cString: strerror(errno)))"
    }
}
