import Foundation
import Synchronization

/// An `EventLoop` running on a dedicated thread, for code whose own thread must stay free
/// (tests, benchmarks, a library user); executables run their loop on the main thread instead.
public final class LoopThread: Sendable {
    /// The loop's thread-safe entry point; pin actors to it or post closures.
    public let executor: LoopExecutor
    private let finished = DispatchSemaphore(value: 0)

    /// Starts the thread and returns once its loop exists; `setUp` runs first on the loop thread.
    public init(name: String = "event-loop", setUp: @escaping @Sendable () -> Void = {}) throws {
        let started = DispatchSemaphore(value: 0)
        let box = Mutex<Result<LoopExecutor, UVError>?>(nil)
        let finished = self.finished
        let thread = Thread {
            do {
                let loop = try EventLoop()
                box.withLock { $0 = .success(loop.executor) }
                started.signal()
                setUp()
                loop.run()
            } catch {
                box.withLock { $0 = .failure(error as! UVError) }
                started.signal()
            }
            finished.signal()
        }
        thread.name = name
        thread.start()
        started.wait()
        executor = try box.withLock { $0! }.get()
    }

    /// Stops the loop (closing every handle still open) and waits for its thread to end.
    public func stopAndWait() {
        if executor.execute({ EventLoop.current.stop() }) { finished.wait() }
    }
}
