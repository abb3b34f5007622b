import KubeJSON
import NIOCore
import NIOHTTP1

#if canImport(Glibc)
    import Glibc
#endif

/// Fault injection: drop a watch after N events or seconds.
struct WatchCut: Sendable {
    var afterEvents: Int?
    var afterSeconds: Double?
}

/// Fault injection: send a response `chunkBytes` at a time every `interval`.
struct SlowLoris: Sendable {
    var chunkBytes: Int
    var interval: TimeAmount
}

/// Faults that change how a normally served answer is sent.
struct ResponseShaping: Sendable {
    var watchCut: WatchCut?
    var slowLoris: SlowLoris?
}

/// What the connection does with an interceptor's action (control replies and every injected
/// fault). Lives on the connection's event loop.
extension ConnectionHandler {
    func intercept(
        _ action: InterceptAction, _ context: ChannelHandlerContext, _ head: HTTPRequestHead, _ request: APIRequest
    ) {
        switch action {
        case .respond(let error): write(context, head, .error(error))
        case .reply(let code, let body): write(context, head, .json(code, body))
        case .closeConnection: context.close(promise: nil)
        case .reset: resetConnection(context)
        case .delay(let milliseconds):
            let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            context.eventLoop.scheduleTask(in: .milliseconds(Int64(milliseconds))) {
                let (handler, context) = bound.value
                guard context.channel.isActive else { return }
                handler.respond(context, head, request)
            }
        case .cutWatch(let events, let seconds):
            respond(
                context, head, request,
                shaping: ResponseShaping(watchCut: WatchCut(afterEvents: events, afterSeconds: seconds)))
        case .slowLoris(let bytes, let milliseconds):
            respond(
                context, head, request,
                shaping: ResponseShaping(
                    slowLoris: SlowLoris(chunkBytes: bytes, interval: .milliseconds(Int64(milliseconds)))))
        case .watchGone(let error): sendWatchError(context, head, error)
        }
    }

    /// SO_LINGER 0 then close: the peer gets RST, as from a crashed proxy or server.
    private func resetConnection(_ context: ChannelHandlerContext) {
        let channel = context.channel
        guard let provider = channel as? any SocketOptionProvider else {
            context.close(promise: nil)
            return
        }
        provider.setSoLinger(linger(l_onoff: 1, l_linger: 0)).whenComplete { _ in channel.close(promise: nil) }
    }

    /// A 200 watch response holding only an ERROR event, as the watch cache answers a resume
    /// from a compacted resourceVersion.
    private func sendWatchError(_ context: ChannelHandlerContext, _ head: HTTPRequestHead, _ error: KubeAPIError) {
        let headers = HTTPHeaders([("Content-Type", "application/json"), ("Transfer-Encoding", "chunked")])
        context.write(
            wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .ok, headers: headers))), promise: nil
        )
        let line = WatchEvent(type: .error, object: error.status, resourceVersion: 0).encodedLine
        context.write(wrapOutboundOut(.body(.byteBuffer(line))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }

    /// Writes the head at once, then the body a few bytes per tick.
    func trickle(
        _ context: ChannelHandlerContext, _ head: HTTPResponseHead, _ bytes: [UInt8], _ shape: SlowLoris,
        keepAlive: Bool
    ) {
        context.writeAndFlush(wrapOutboundOut(.head(head)), promise: nil)
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        @Sendable func send(from offset: Int) {
            let (handler, context) = bound.value
            guard context.channel.isActive else { return }
            guard offset < bytes.count else {
                let channel = context.channel
                context.writeAndFlush(handler.wrapOutboundOut(.end(nil))).whenComplete { _ in
                    if !keepAlive { channel.close(promise: nil) }
                }
                return
            }
            let end = min(bytes.count, offset + shape.chunkBytes)
            var buffer = context.channel.allocator.buffer(capacity: end - offset)
            buffer.writeBytes(bytes[offset..<end])
            context.writeAndFlush(handler.wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
            context.eventLoop.scheduleTask(in: shape.interval) { send(from: end) }
        }
        send(from: 0)
    }
}
