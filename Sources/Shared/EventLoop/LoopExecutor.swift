import CUV
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The thread-safe face of an `EventLoop`: posts work onto the loop from any thread, and is the
/// `SerialExecutor` that actors use to run on the loop thread.
///
/// Thread ownership, where it is enforced:
/// - statically: `EventLoop` and every `Handle` are non-`Sendable`, so the compiler refuses to let
///   them leave the thread (or actor) that created them; only this type crosses threads;
/// - at run time: `checkIsolated()` (behind `assumeIsolated`) and `EventLoop.preconditionInLoop()`
///   compare the calling thread with the loop's owner thread.
/// The inbox and the async handle pointer sit inside a `Mutex`, which is what makes this type
/// `Sendable` without `@unchecked`: `uv_async_send` is the one libuv call documented thread-safe.
public final class LoopExecutor: SerialExecutor {
    /// One unit of work posted to the loop.
    enum Work: Sendable {
        case closure(@Sendable () -> Void)
        case job(UnownedJob)
    }

    /// Pending work plus the address of the async handle that wakes the loop (nil once the loop
    /// stopped). An address, not a pointer: the handle's memory is the loop's, and the only
    /// thing other threads may do with it is `uv_async_send`, under this lock, before `detach`.
    struct Inbox {
        var pending: [Work] = []
        var asyncAddress: UInt?
    }

    private let inbox: Mutex<Inbox>
    /// The thread that created the loop and alone may run it and touch its handles.
    let ownerThread: pthread_t

    init(ownerThread: pthread_t) {
        self.ownerThread = ownerThread
        self.inbox = Mutex(Inbox())
    }

    /// True when called on the loop's thread.
    public var inLoopThread: Bool { pthread_equal(pthread_self(), ownerThread) != 0 }

    /// Runs `work` on the loop thread soon. Returns false (and drops the work) once the loop is stopped.
    @discardableResult
    public func execute(_ work: @escaping @Sendable () -> Void) -> Bool {
        post(.closure(work))
    }

    /// Once the loop stopped, a job is dropped: its task stays suspended for good. It cannot run
    /// anywhere else (the actor's state belongs to the loop thread), and a task resumed after the
    /// stop (a transfer's last callback, a timer racing shutdown) is no error worth a crash: the
    /// fatal error this once was took down a whole test process for a task nobody awaited.
    public func enqueue(_ job: consuming ExecutorJob) {
        _ = post(.job(UnownedJob(job)))
    }

    public func checkIsolated() {
        precondition(inLoopThread, "not on the event loop thread")
    }

    public func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }

    private func post(_ work: sending Work) -> Bool {
        inbox.withLock { inbox in
            guard let address = inbox.asyncAddress,
                let async = UnsafeMutablePointer<uv_async_t>(bitPattern: address)
            else { return false }
            inbox.pending.append(work)
            uv_async_send(async)
            return true
        }
    }

    /// Called by the loop once its async handle exists.
    func attach(_ async: UnsafeMutablePointer<uv_async_t>) {
        let address = UInt(bitPattern: async)
        inbox.withLock { $0.asyncAddress = address }
    }

    /// Called by the loop when it stops: later posts are refused. Returns work still pending.
    func detach() -> [Work] {
        inbox.withLock { inbox in
            inbox.asyncAddress = nil
            defer { inbox.pending = [] }
            return inbox.pending
        }
    }

    /// Runs everything posted so far, on the loop thread.
    func drain() {
        let batch = inbox.withLock { inbox in
            defer { inbox.pending = [] }
            return inbox.pending
        }
        for work in batch { run(work) }
    }

    func run(_ work: Work) {
        switch work {
        case .closure(let body): body()
        case .job(let job): job.runSynchronously(on: asUnownedSerialExecutor())
        }
    }
}
