import KubeJSON
import NIOCore
import NIOHTTP1

/// One HTTP/1.1 connection, or one HTTP/2 stream (behind NIOHTTP2's HTTP/1 codec): reads each
/// request (bounded body), asks `APIHandler`, writes the answer with keep-alive, or hands the
/// channel to a `WatchStream`. A bad request gets its Status and only this connection (or
/// stream) can be affected.
final class ConnectionHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    /// The real server's limit for a request body (3 MiB).
    static let maxBodyBytes = 3 * 1024 * 1024

    private let api: APIHandler
    private let interceptor: @Sendable () -> RequestInterceptor?
    private var head: HTTPRequestHead?
    private var body: ByteBuffer?
    private var tooLarge = false
    private var watch: WatchStream?
    /// The TCP connection's number (every stream of an HTTP/2 connection shares it).
    private let connection: Int

    init(api: APIHandler, connection: Int = 0, interceptor: @escaping @Sendable () -> RequestInterceptor?) {
        self.api = api
        self.connection = connection
        self.interceptor = interceptor
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let h):
            head = h
            body = nil
            tooLarge = false
        case .body(var chunk):
            guard !tooLarge else { return }
            if (body?.readableBytes ?? 0) + chunk.readableBytes > Self.maxBodyBytes {
                tooLarge = true
                body = nil
                return
            }
            if body == nil { body = chunk } else { body!.writeBuffer(&chunk) }
        case .end:
            guard let head else { return }
            self.head = nil
            if tooLarge {
                write(context, head, .error(.tooLarge(limit: Self.maxBodyBytes)), forceClose: true)
                return
            }
            serve(context, head, body.map { Array($0.readableBytesView) } ?? [])
        }
    }

    private func serve(_ context: ChannelHandlerContext, _ head: HTTPRequestHead, _ bytes: [UInt8]) {
        var headers: [String: String] = [:]
        for (name, value) in head.headers { headers[name.lowercased()] = value }
        let transport = RequestTransport(
            httpVersion: "\(head.version.major).\(head.version.minor)", connection: connection)
        let request = APIRequest(
            method: head.method.rawValue, uri: head.uri, headers: headers, body: bytes, transport: transport)
        if api.token == nil || headers["authorization"] == "Bearer \(api.token!)", let hook = interceptor(),
            let action = hook(request)
        {
            intercept(action, context, head, request)  // ConnectionHandler+Faults.swift
            return
        }
        respond(context, head, request)
    }

    /// Serves a request; `shaping` carries the faults that alter how the answer is sent.
    func respond(
        _ context: ChannelHandlerContext, _ head: HTTPRequestHead, _ request: APIRequest,
        shaping: ResponseShaping = .init()
    ) {
        let response = api.handle(request)
        if case .watch(let watchRequest) = response {
            startWatch(context, head, watchRequest, cut: shaping.watchCut)
        } else if case .followLog(let follow) = response {
            LogFollowStream.start(context, head, follow, store: api.store)
        } else {
            write(context, head, response, slowLoris: shaping.slowLoris)
        }
    }

    private func startWatch(
        _ context: ChannelHandlerContext, _ head: HTTPRequestHead, _ request: WatchRequest, cut: WatchCut?
    ) {
        let stream = WatchStream(
            context: context, request: request, store: api.store, keepAlive: head.keepsConnectionOpen
        ) { [weak self] in
            self?.watch = nil
        }
        stream.cut = cut
        do {
            try stream.start(bookmarkInterval: api.bookmarkInterval)
            watch = stream
        } catch let error as KubeAPIError {
            write(context, head, .error(error))
        } catch {
            write(context, head, .error(.internalError("\(error)")))
        }
    }

    func write(
        _ context: ChannelHandlerContext, _ head: HTTPRequestHead, _ response: APIResponse, forceClose: Bool = false,
        slowLoris: SlowLoris? = nil
    ) {
        let (code, contentType, bytes): (Int, String, [UInt8])
        var extraHeaders: [(String, String)] = []
        switch response {
        case .json(let c, let value):
            (code, contentType, bytes) = (c, "application/json", value.jsonBytes())
            if let retry = value[path: ["details", "retryAfterSeconds"]]?.intValue, c == 429 || c >= 500 {
                extraHeaders.append(("Retry-After", String(retry)))
            }
        case .raw(let c, let type, let b): (code, contentType, bytes) = (c, type, b)
        case .watch, .followLog: return
        }
        let keepAlive = head.keepsConnectionOpen && !forceClose
        var headers = HTTPHeaders(
            [("Content-Type", contentType), ("Content-Length", String(bytes.count))] + extraHeaders)
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        let responseHead = HTTPResponseHead(
            version: head.version, status: HTTPResponseStatus(statusCode: code), headers: headers)
        if let slowLoris { return trickle(context, responseHead, bytes, slowLoris, keepAlive: keepAlive) }
        context.write(wrapOutboundOut(.head(responseHead)), promise: nil)
        var buffer = context.channel.allocator.buffer(capacity: bytes.count)
        buffer.writeBytes(bytes)
        context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        let done = context.writeAndFlushPromise(wrapOutboundOut(.end(nil)))
        let channel = context.channel
        if !keepAlive { done.whenComplete { _ in channel.close(promise: nil) } }
    }

    func channelInactive(context: ChannelHandlerContext) {
        watch?.stop(writeEnd: false)
        watch = nil
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

extension ChannelHandlerContext {
    fileprivate func writeAndFlushPromise(_ part: NIOAny) -> EventLoopFuture<Void> {
        let promise = eventLoop.makePromise(of: Void.self)
        writeAndFlush(part, promise: promise)
        return promise.futureResult
    }
}

extension HTTPRequestHead {
    /// HTTP/1.1 keep-alive rules; an HTTP/2 stream never closes the connection it shares
    /// (the HTTP/1 codec reports version 2.0 with no keep-alive header).
    var keepsConnectionOpen: Bool { version.major >= 2 || isKeepAlive }
}
