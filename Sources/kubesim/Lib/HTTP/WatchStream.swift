import KubeJSON
import NIOCore
import NIOHTTP1

/// A watch response: chunked JSON lines fed by a store subscription, with periodic bookmarks
/// and the `timeoutSeconds` end. Lives on its connection's event loop.
final class WatchStream {
    /// The real server's default watch timeout is a random 30–60 min; kubesim uses the floor.
    static let defaultTimeoutSeconds: Int64 = 1800

    private let context: ChannelHandlerContext
    private let request: WatchRequest
    private let store: ObjectStore
    private let keepAlive: Bool
    private let onFinish: () -> Void
    private var token: WatchToken?
    private var timers: [Scheduled<Void>] = []
    private var bookmarkTask: RepeatedTask?
    private var finished = false
    /// Fault injection: drop the connection after this many events or this long.
    var cut: WatchCut?
    private var delivered = 0

    init(
        context: ChannelHandlerContext, request: WatchRequest, store: ObjectStore, keepAlive: Bool,
        onFinish: @escaping () -> Void
    ) {
        self.context = context
        self.request = request
        self.store = store
        self.keepAlive = keepAlive
        self.onFinish = onFinish
    }

    /// Registers the watch, then writes the response head. A bad request (selector syntax,
    /// unknown resource) throws before anything is written, so it gets a plain error response.
    /// Events reach the channel through `execute`, so they always follow the head.
    func start(bookmarkInterval: TimeAmount) throws {
        let loop = context.eventLoop
        let bound = NIOLoopBound(self, eventLoop: loop)
        token = try store.watch(request.resource, namespace: request.namespace, options: request.options, loop: loop) {
            event in
            bound.value.deliver(event)
        }
        let headers = HTTPHeaders([("Content-Type", "application/json"), ("Transfer-Encoding", "chunked")])
        context.writeAndFlush(
            NIOAny(HTTPServerResponsePart.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))),
            promise: nil)
        guard let token else {
            // Expired: the ERROR event is queued; end after it.
            loop.execute { bound.value.stop(writeEnd: true) }
            return
        }
        let timeout = TimeAmount.seconds(request.timeoutSeconds ?? Self.defaultTimeoutSeconds)
        timers.append(loop.scheduleTask(in: timeout) { bound.value.stop(writeEnd: true) })
        if let seconds = cut?.afterSeconds {
            timers.append(
                loop.scheduleTask(in: .milliseconds(Int64(seconds * 1000))) { bound.value.context.close(promise: nil) })
        }
        if request.options.allowBookmarks {
            let store = self.store
            bookmarkTask = loop.scheduleRepeatedTask(initialDelay: bookmarkInterval, delay: bookmarkInterval) { _ in
                store.sendBookmark(token)
            }
        }
    }

    private func deliver(_ event: WatchEvent) {
        guard !finished else { return }
        var event = event
        if let asked = request.metadataOnly, event.type != .error {
            guard asked == .object else { return }
            event = WatchEvent(
                type: event.type, object: MetadataOnly.object(event.object), resourceVersion: event.resourceVersion)
        }
        context.writeAndFlush(NIOAny(HTTPServerResponsePart.body(.byteBuffer(event.encodedLine))), promise: nil)
        if event.type != .bookmark, let limit = cut?.afterEvents {
            delivered += 1
            if delivered >= limit { context.close(promise: nil) }
        }
    }

    /// Ends the stream: unsubscribes, cancels timers, and (if the connection lives) ends the response.
    func stop(writeEnd: Bool) {
        guard !finished else { return }
        finished = true
        if let token { store.stopWatch(token) }
        for timer in timers { timer.cancel() }
        bookmarkTask?.cancel()
        if writeEnd {
            let channel = context.channel
            let keepAlive = self.keepAlive
            context.writeAndFlush(NIOAny(HTTPServerResponsePart.end(nil))).whenComplete { _ in
                if !keepAlive { channel.close(promise: nil) }
            }
        }
        onFinish()
    }
}
