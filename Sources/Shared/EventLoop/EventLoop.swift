import CUV

#if canImport(Glibc)
    import Glibc
#endif

/// One libuv loop (`uv_loop_t`), owned by the thread that created it; every process runs one.
///
/// The loop is not `Sendable`: the compiler keeps it, and every `Handle` made from it, on its
/// thread. Other threads and actors reach it only through `executor` (a `LoopExecutor`), whose
/// `execute` is the one thread-safe entry point and whose `SerialExecutor` conformance lets an
/// actor live on the loop thread (`unownedExecutor`). Inside such an actor, `EventLoop.current`
/// returns the loop to create handles with.
public final class EventLoop {
    /// The C loop; valid until `deinit`.
    let uv: UnsafeMutablePointer<uv_loop_t>
    /// Thread-safe entry point: post closures, or pin actors to this loop.
    public let executor: LoopExecutor
    /// Open handles, keyed by identity: this is what keeps a handle alive until it is closed.
    private var handles: [ObjectIdentifier: Handle] = [:]
    private var inbox: AsyncWakeup?
    private var stopping = false

    /// Creates a loop owned by the calling thread.
    public init() throws(UVError) {
        uv = .allocate(capacity: 1)
        let status = uv_loop_init(uv)
        guard status >= 0 else {
            uv.deallocate()
            throw UVError(code: status, operation: "uv_loop_init")
        }
        executor = LoopExecutor(ownerThread: pthread_self())
        LoopRegistry.setCurrent(self)
        inbox = try AsyncWakeup(loop: self) { [executor] in executor.drain() }
        executor.attach(inbox!.pointer(as: uv_async_t.self))
    }

    deinit {
        precondition(handles.isEmpty, "EventLoop deallocated with \(handles.count) open handles")
        uv_loop_close(uv)
        uv.deallocate()
        LoopRegistry.clearCurrent(ifEqualTo: self)
    }

    /// The loop owned by the calling thread; traps when the thread has none.
    public static var current: EventLoop {
        guard let loop = LoopRegistry.current() else { preconditionFailure("no EventLoop on this thread") }
        return loop
    }

    /// Traps unless called on the loop's thread: the run-time half of thread ownership.
    public func preconditionInLoop(file: StaticString = #fileID, line: UInt = #line) {
        precondition(executor.inLoopThread, "EventLoop used off its thread", file: file, line: line)
    }

    /// Milliseconds of the loop's cached clock (`uv_now`), the time base of every `LoopTimer`.
    public var now: UInt64 { uv_now(uv) }

    /// Number of open handles besides the loop's own wake-up handle; zero means nothing leaked.
    public var openHandleCount: Int { handles.count - (inbox == nil ? 0 : 1) }

    /// Runs until `stop()` and every handle has closed, then returns.
    public func run() {
        preconditionInLoop()
        while uv_run(uv, UV_RUN_DEFAULT) != 0 {}
        // Anything posted between stop() and the last close callback still runs, on this thread.
        for work in executor.detach() { executor.run(work) }
    }

    /// Stops the loop: refuses further posts, closes every open handle; `run()` returns when
    /// their close callbacks have run. Call on the loop thread (post it with `execute` otherwise).
    public func stop() {
        preconditionInLoop()
        guard !stopping else { return }
        stopping = true
        for work in executor.detach() { executor.run(work) }
        for handle in handles.values { handle.close() }
        inbox = nil
    }

    func register(_ handle: Handle) {
        handles[ObjectIdentifier(handle)] = handle
    }

    func unregister(_ handle: Handle) {
        handles[ObjectIdentifier(handle)] = nil
    }
}

/// The loop's own wake-up handle: `uv_async_send` from any thread runs `wake` on the loop.
final class AsyncWakeup: Handle {
    private var wake: (() -> Void)?

    init(loop: EventLoop, wake: @escaping () -> Void) throws(UVError) {
        self.wake = wake
        try super.init(loop: loop, type: UV_ASYNC, operation: "uv_async_init") { uv, raw in
            uv_async_init(uv, raw.assumingMemoryBound(to: uv_async_t.self)) { async in
                Handle.owner(of: async, as: AsyncWakeup.self).wake?()
            }
        }
    }

    override func releaseCallbacks() { wake = nil }
}
