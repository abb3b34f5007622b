import CUV

#if canImport(Glibc)
    import Glibc
#endif

/// A child process (`uv_process_t`): spawned with an explicit argv and environment, stdout and
/// stderr shared with ours (one log stream per container), signalled only through libuv
/// (`uv_process_kill`), never by a raw pid that the kernel may have handed to someone else.
public final class ChildProcess: Handle {
    /// How a child ended: an exit code, or the signal that killed it.
    public enum Termination: Equatable, Sendable {
        case exited(Int32)
        case signaled(Int32)
    }

    /// The child's pid, valid until the exit callback.
    public private(set) var pid: Int32 = 0
    private var onExit: ((Termination) -> Void)?

    /// Spawns `executable` with `arguments` (argv[1...]) and exactly `environment`.
    /// `exit` runs once on the loop when the child ends; close the handle there.
    public init(
        loop: EventLoop, executable: String, arguments: [String], environment: [String: String],
        exit: @escaping (Termination) -> Void
    ) throws(UVError) {
        onExit = exit
        let argv = CStringArray([executable] + arguments)
        let envp = CStringArray(environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" })
        defer {
            argv.free()
            envp.free()
        }
        var stdio = [uv_stdio_container_t](repeating: uv_stdio_container_t(), count: 3)
        stdio[0].flags = UV_IGNORE
        for fd in 1...2 {
            stdio[fd].flags = UV_INHERIT_FD
            stdio[fd].data.fd = Int32(fd)
        }
        var spawnedPID: Int32 = 0
        try super.init(loop: loop, type: UV_PROCESS, operation: "uv_spawn", closeOnFailure: true) { uv, raw in
            stdio.withUnsafeMutableBufferPointer { stdioBuffer in
                var options = uv_process_options_t()
                options.file = UnsafePointer(argv.pointers[0])
                options.args = argv.base
                options.env = envp.base
                options.stdio_count = 3
                options.stdio = stdioBuffer.baseAddress
                options.exit_cb = { process, status, signal in
                    Handle.owner(of: process, as: ChildProcess.self).exited(status: status, signal: signal)
                }
                let process = raw.assumingMemoryBound(to: uv_process_t.self)
                let result = uv_spawn(uv, process, &options)
                spawnedPID = process.pointee.pid
                return result
            }
        }
        pid = spawnedPID
    }

    /// Sends `signal` through libuv, which knows whether the child is still ours.
    @discardableResult
    public func kill(_ signal: Int32) -> UVError? {
        loop.preconditionInLoop()
        let status = uv_process_kill(pointer(as: uv_process_t.self), signal)
        return status < 0 ? UVError(code: status, operation: "uv_process_kill") : nil
    }

    private func exited(status: Int64, signal: Int32) {
        let callback = onExit
        onExit = nil
        callback?(signal != 0 ? .signaled(signal) : .exited(Int32(truncatingIfNeeded: status)))
    }

    public override func releaseCallbacks() { onExit = nil }
}

/// A NULL-terminated `char *[]` whose strings live until `free()`.
private struct CStringArray {
    let base: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>
    let pointers: [UnsafeMutablePointer<CChar>?]

    init(_ strings: [String]) {
        pointers = strings.map { strdup($0) }
        base = .allocate(capacity: pointers.count + 1)
        for (i, p) in pointers.enumerated() { base[i] = p }
        base[pointers.count] = nil
    }

    func free() {
        for p in pointers { Glibc.free(p) }
        base.deallocate()
    }
}
