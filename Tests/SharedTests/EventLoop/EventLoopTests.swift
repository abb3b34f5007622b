import Foundation
import Synchronization
import Testing

@testable import Shared

/// An actor pinned to a loop: its methods run on the loop thread, where handles may be used.
actor LoopActor {
    nonisolated let executor: LoopExecutor
    nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
    init(_ executor: LoopExecutor) { self.executor = executor }

    /// Runs `body` on the loop thread with the loop, resuming when `body` calls `done`.
    func with<T: Sendable>(_ body: (EventLoop, @escaping (T) -> Void) throws -> Void) async throws -> T {
        let loop = EventLoop.current
        return try await withCheckedThrowingContinuation { continuation in
            do { try body(loop) { continuation.resume(returning: $0) } } catch { continuation.resume(throwing: error) }
        }
    }

    func openHandles() -> Int { EventLoop.current.openHandleCount }
}

@Suite struct EventLoopTests {
    @Test func oneShotTimerFiresOnceAndFreesItsHandleOnClose() async throws {
        let thread = try LoopThread()
        defer { thread.stopAndWait() }
        let actor = LoopActor(thread.executor)
        let fired = try await actor.with { (loop, done: @escaping (Int) -> Void) in
            let timer = try LoopTimer(loop: loop)
            var count = 0
            timer.start(after: .milliseconds(5)) { count += 1 }
            let check = try LoopTimer(loop: loop)
            check.start(after: .milliseconds(60)) {
                timer.close()
                check.close { done(count) }
            }
        }
        #expect(fired == 1)
        #expect(await actor.openHandles() == 0)
    }

    @Test func repeatingTimerRepeatsUntilStopped() async throws {
        let thread = try LoopThread()
        defer { thread.stopAndWait() }
        let count = try await LoopActor(thread.executor).with { (loop, done: @escaping (Int) -> Void) in
            let timer = try LoopTimer(loop: loop)
            var count = 0
            timer.start(after: .milliseconds(1), repeating: .milliseconds(1)) {
                count += 1
                if count == 5 {
                    timer.stop()
                    timer.close { done(count) }
                }
            }
        }
        #expect(count == 5)
    }

    @Test func cancelledTimerNeverFires() async throws {
        let thread = try LoopThread()
        defer { thread.stopAndWait() }
        let fired = try await LoopActor(thread.executor).with { (loop, done: @escaping (Bool) -> Void) in
            let timer = try LoopTimer(loop: loop)
            var fired = false
            timer.start(after: .milliseconds(10)) { fired = true }
            timer.stop()
            let later = try LoopTimer(loop: loop)
            later.start(after: .milliseconds(40)) {
                timer.close()
                later.close { done(fired) }
            }
        }
        #expect(!fired)
    }

    @Test func executeFromManyThreadsRunsEveryClosureOnTheLoopThread() async throws {
        let thread = try LoopThread()
        let executor = thread.executor
        let seen = Mutex<(count: Int, offLoop: Int)>((0, 0))
        DispatchQueue.concurrentPerform(iterations: 1000) { _ in
            executor.execute {
                seen.withLock {
                    $0.count += 1
                    if !executor.inLoopThread { $0.offLoop += 1 }
                }
            }
        }
        thread.stopAndWait()
        #expect(seen.withLock { $0.count } == 1000)
        #expect(seen.withLock { $0.offLoop } == 0)
        #expect(!executor.execute {}, "a stopped loop refuses work")
    }

    @Test func pollReportsASocketBecomingReadable() async throws {
        var fds: [Int32] = [0, 0]
        #expect(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &fds) == 0)
        defer {
            close(fds[0])
            close(fds[1])
        }
        let (reader, writer) = (fds[0], fds[1])
        let thread = try LoopThread()
        defer { thread.stopAndWait() }
        let events = try await LoopActor(thread.executor).with { (loop, done: @escaping (Int32) -> Void) in
            let poll = try Poll(loop: loop, socket: reader)
            try poll.start(.readable) { result in
                poll.stop()
                poll.close { done((try? result.get())?.rawValue ?? -1) }
            }
            _ = write(writer, "x", 1)
        }
        #expect(events == Poll.Events.readable.rawValue)
    }

    @Test func signalWatcherDeliversTheSignalOnTheLoop() async throws {
        let thread = try LoopThread()
        defer { thread.stopAndWait() }
        let signal = try await LoopActor(thread.executor).with { (loop, done: @escaping (Int32) -> Void) in
            var watcher: SignalWatcher?
            watcher = try SignalWatcher(loop: loop, signal: SIGUSR2) { signum in
                watcher?.close { done(signum) }
                watcher = nil
            }
            kill(getpid(), SIGUSR2)
        }
        #expect(signal == SIGUSR2)
    }

    @Test func stopClosesHandlesLeftOpen() throws {
        let thread = try LoopThread()
        let executor = thread.executor
        let ready = DispatchSemaphore(value: 0)
        executor.execute {
            let timer = try! LoopTimer(loop: EventLoop.current)
            timer.start(after: .seconds(3600)) {}
            ready.signal()
        }
        ready.wait()
        thread.stopAndWait()  // returns only if the forgotten timer was closed
    }

    @Test(arguments: [(Duration.zero, UInt64(0)), (.milliseconds(5), 5), (.microseconds(1), 1), (.seconds(-1), 0)])
    func durationRoundsUpToMilliseconds(duration: Duration, expected: UInt64) {
        #expect(duration.milliseconds == expected)
    }
}
