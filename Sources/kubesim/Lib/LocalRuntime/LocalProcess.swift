import Foundation
import NIOConcurrencyHelpers
import Spawn

#if canImport(Glibc)
    import Glibc
#endif

/// One container command running as a local process in its own process group, with stdout
/// and stderr on one pipe (started by `Spawn`: Foundation's `Process` neither resets the signal
/// dispositions kubesim ignores nor starts a process group we can signal as a whole).
///
/// Guarantees: the process is signalled only while it has not been reaped (its pid cannot
/// have been reused); `onOutput` gets every byte before `onExit` is called once.
final class LocalProcess: Sendable {
    let pid: pid_t
    private let reaped = NIOLockedValueBox(false)

    /// Spawns `argv` with `environment`; nil `argv[0]` resolution errors surface as `SpawnError`.
    init(
        argv: [String], environment: [String: String], onOutput: @escaping @Sendable ([UInt8]) -> Void,
        onExit: @escaping @Sendable (ContainerExit) -> Void
    ) throws {
        let (readEnd, writeEnd): (Int32, Int32)
        do { (readEnd, writeEnd) = try Spawn.pipe() } catch {
            throw SpawnError(errno: error.errno, command: argv.first ?? "")
        }
        defer { close(writeEnd) }
        let pid: pid_t
        do {
            pid = try Spawn.spawn(
                argv, environment: environment,
                stdio: (.file("/dev/null"), .descriptor(writeEnd), .descriptor(writeEnd)),
                newProcessGroup: true, searchPath: true)
        } catch {
            close(readEnd)
            throw SpawnError(errno: error.errno, command: argv[0])
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

    private static func drain(_ fd: Int32, _ onOutput: @Sendable ([UInt8]) -> Void) {
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                onOutput(Array(buffer[0..<count]))
                continue
            }
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
