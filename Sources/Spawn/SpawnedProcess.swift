import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A child process started with `posix_spawn` (`Spawn`): what the tests and the benchmarks use
/// instead of Foundation's `Process`, whose `run()` over-reads memory once the process holds more
/// than ~1350 descriptors; with every suite running in parallel the test process holds ~1450 at
/// its peak (about 200 event loops and their connections), and CI's one SIGSEGV came from there.
/// Unlike `Process`, it leaves the child in the parent's process group.
///
/// The child gets the given stdio and nothing else; it is reaped by `isRunning`/`waitExit`, by
/// pid, never with `waitpid(-1)`.
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
        /// The parent's own stdout / stderr (what `Process` gives when none is set).
        case inherit
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
    public init(
        executable: String, arguments: [String] = [], environment: [String: String], directory: String? = nil,
        stdin: Input = .null, stdout: Output = .null, stderr: Output = .null
    ) throws {
        let plan = try StdioPlan(stdin: stdin, stdout: stdout, stderr: stderr)
        defer { plan.closeChildEnds() }
        do {
            pid = try Spawn.spawn(
                [executable] + arguments, environment: environment, directory: directory, stdio: plan.childStdio)
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
}

/// The descriptors behind one child's stdin, stdout and stderr.
private struct StdioPlan {
    /// Per stdio slot: what the child gets, and the parent's pipe end.
    private var child: [Spawn.Stdio] = [.file("/dev/null"), .file("/dev/null"), .file("/dev/null")]
    private var parent: [Int32?] = [nil, nil, nil]

    init(stdin: SpawnedProcess.Input, stdout: SpawnedProcess.Output, stderr: SpawnedProcess.Output) throws {
        do {
            if case .pipe = stdin { try makePipe(slot: 0) }
            for (slot, output) in [(1, stdout), (2, stderr)] {
                switch output {
                case .null: break
                case .inherit: child[slot] = .descriptor(Int32(slot))
                case .file(let path): child[slot] = .file(path)
                case .pipe: try makePipe(slot: slot)
                }
            }
        } catch {
            closeChildEnds()
            closeParentEnds()
            throw error
        }
    }

    private mutating func makePipe(slot: Int) throws {
        let (read, write) = try Spawn.pipe()
        // The child reads its stdin and writes its outputs.
        let (childEnd, parentEnd) = slot == 0 ? (read, write) : (write, read)
        child[slot] = .descriptor(childEnd)
        parent[slot] = parentEnd
    }

    var childStdio: (Spawn.Stdio, Spawn.Stdio, Spawn.Stdio) { (child[0], child[1], child[2]) }

    func parentEnd(_ slot: Int) -> FileHandle? {
        parent[slot].map { FileHandle(fileDescriptor: $0, closeOnDealloc: true) }
    }

    /// Closes the child's ends of the pipes, never a descriptor the parent lends it (`.inherit`).
    func closeChildEnds() {
        for slot in 0..<3 where parent[slot] != nil {
            if case .descriptor(let fd) = child[slot] { close(fd) }
        }
    }

    func closeParentEnds() { parent.compactMap { $0 }.forEach { close($0) } }
}
