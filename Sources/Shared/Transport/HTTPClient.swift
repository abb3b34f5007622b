import Foundation

/// An HTTP/1.1 and HTTP/2 client on libcurl, pinned to one event loop.
///
/// Threading: the actor's executor is the loop's `LoopExecutor`, so every method runs on the
/// loop thread, which owns libcurl (the multi handle, its easy handles and the libuv handles
/// that drive them). Callers on any thread or actor `await` it; results come back through
/// continuations. Errors thrown are `TransportError`; HTTP error statuses are responses.
public actor HTTPClient {
    public nonisolated let executor: LoopExecutor
    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
    private let tls: TLSOptions
    private let connectTimeout: Duration
    private var multi: CurlMulti?
    private var running: [Int: CurlTransfer] = [:]
    private var nextID = 0

    /// A client whose transfers run on the loop behind `executor`, with one TLS configuration.
    public init(executor: LoopExecutor, tls: TLSOptions = TLSOptions(), connectTimeout: Duration = .seconds(10)) {
        self.executor = executor
        self.tls = tls
        self.connectTimeout = connectTimeout
    }

    /// Sends `request` and buffers the whole response.
    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let id = allocateID()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<HTTPResponse, any Error>) in
                var head = HTTPResponseHead(status: 0)
                var body = Data()
                start(
                    id, request,
                    CurlTransfer.Callbacks(
                        head: { head = $0 },
                        body: {
                            body.append(contentsOf: $0)
                            return true
                        },
                        complete: { error in
                            if let error {
                                continuation.resume(throwing: error)
                            } else {
                                continuation.resume(returning: HTTPResponse(head: head, body: body))
                            }
                        }))
            }
        } onCancel: {
            Task { await self.cancel(id) }
        }
    }

    /// Sends `request` and returns once the response head arrived; the body follows as lines.
    /// Dropping or cancelling the iteration of `lines` cancels the transfer.
    public func streamLines(_ request: HTTPRequest) async throws -> HTTPLineStream {
        let id = allocateID()
        let (lines, output) = AsyncThrowingStream.makeStream(of: [Data].self, throwing: (any Error).self)
        output.onTermination = { _ in Task { await self.cancel(id) } }
        let flow = FlowControl()
        // The callbacks must not capture `lines`: the stream's termination (when its consumer
        // drops it) is what cancels the transfer, and a reference held here would prevent it.
        let head = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation {
                (continuation: CheckedContinuation<HTTPResponseHead, any Error>) in
                var splitter = LineSplitter()
                var answered = false
                start(
                    id, request,
                    CurlTransfer.Callbacks(
                        head: { head in
                            answered = true
                            continuation.resume(returning: head)
                        },
                        body: { chunk in
                            guard flow.admit() else { return false }
                            let batch = splitter.feed(chunk)
                            if batch.isEmpty { flow.consumed() } else { output.yield(batch) }
                            return true
                        },
                        complete: { error in
                            if !answered {
                                return continuation.resume(
                                    throwing: error ?? TransportError(kind: .other, message: "no response"))
                            }
                            if let last = splitter.finish() {
                                flow.admitFinal()
                                output.yield([last])
                            }
                            output.finish(throwing: error)
                        }))
            }
        } onCancel: {
            Task { await self.cancel(id) }
        }
        return HTTPLineStream(
            head: head, lines: LineBatches(stream: lines, flow: flow) { Task { await self.resume(id) } })
    }

    /// Cancels every transfer and releases libcurl and the loop handles; later requests start afresh.
    public func shutdown() {
        multi?.shutdown()
        multi = nil
        running = [:]
    }

    /// Transfers in flight (for tests and metrics).
    public var inFlight: Int { running.count }

    private func allocateID() -> Int {
        nextID += 1
        return nextID
    }

    private func start(_ id: Int, _ request: HTTPRequest, _ callbacks: CurlTransfer.Callbacks) {
        var callbacks = callbacks
        let complete = callbacks.complete
        callbacks.complete = { [weak self] error in
            self?.assumeIsolated { $0.running[id] = nil }
            complete(error)
        }
        do {
            let multi = try self.multi ?? CurlMulti(loop: EventLoop.current)
            self.multi = multi
            let transfer = try CurlTransfer(
                request: request, tls: tls, connectTimeout: connectTimeout, callbacks: callbacks)
            running[id] = transfer
            try multi.add(transfer)
        } catch {
            running[id] = nil
            complete(error as? TransportError ?? TransportError(kind: .other, message: "\(error)"))
        }
    }

    private func resume(_ id: Int) {
        guard let transfer = running[id] else { return }  // ended or cancelled meanwhile
        multi?.resume(transfer)
    }

    private func cancel(_ id: Int) {
        guard let transfer = running.removeValue(forKey: id) else { return }
        multi?.cancel(transfer)
    }
}
