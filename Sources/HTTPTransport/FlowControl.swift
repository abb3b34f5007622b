import Foundation
import Synchronization

/// Back-pressure between libcurl (producer, loop thread) and a stream's consumer (any task):
/// when the consumer is `highWater` batches behind, the transfer is paused, so a fast server
/// and a slow decoder cannot fill memory; it resumes once the backlog is down to `lowWater`.
final class FlowControl: Sendable {
    /// One batch is at most one network read (libcurl hands over ≤ 16 KiB per call), so 64
    /// batches bound the backlog to about 1 MiB per stream.
    static let highWater = 64
    /// Resume with some backlog left so the consumer never waits on a round trip.
    static let lowWater = 16

    private struct State {
        var pending = 0
        var paused = false
        var pauses = 0
    }

    private let state = Mutex(State())

    /// Producer, before handing over a batch: false means "pause the transfer instead".
    func admit() -> Bool {
        state.withLock { state in
            if state.pending >= Self.highWater {
                if !state.paused { state.pauses += 1 }
                state.paused = true
                return false
            }
            state.pending += 1
            return true
        }
    }

    /// Producer, for the stream's last partial line, which cannot wait: counted, never refused.
    func admitFinal() {
        state.withLock { $0.pending += 1 }
    }

    /// How many times the transfer was paused (tests, metrics).
    var pauseCount: Int { state.withLock { $0.pauses } }

    /// One admitted batch was taken (or turned out empty). True when the transfer is paused
    /// and should now be resumed.
    @discardableResult
    func consumed() -> Bool {
        state.withLock { state in
            state.pending -= 1
            guard state.paused, state.pending <= Self.lowWater else { return false }
            state.paused = false
            return true
        }
    }
}

/// The line batches of a streamed response; taking a batch may resume a paused transfer.
public struct LineBatches: AsyncSequence, Sendable {
    public typealias Element = [Data]
    let stream: AsyncThrowingStream<[Data], any Error>
    let flow: FlowControl
    let resume: @Sendable () -> Void

    public func makeAsyncIterator() -> Iterator {
        Iterator(inner: stream.makeAsyncIterator(), flow: flow, resume: resume)
    }

    /// Pulls batches and reports each one taken to the flow control.
    public struct Iterator: AsyncIteratorProtocol {
        var inner: AsyncThrowingStream<[Data], any Error>.AsyncIterator
        let flow: FlowControl
        let resume: @Sendable () -> Void

        /// Keeps the consumer on its own executor (see `WatchEvents.Iterator`).
        public mutating func next(isolation actor: isolated (any Actor)?) async throws -> [Data]? {
            try await next()
        }

        public mutating func next() async throws -> [Data]? {
            guard let batch = try await inner.next(isolation: #isolation) else { return nil }
            if flow.consumed() { resume() }
            return batch
        }
    }
}
