import KubeJSON
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// One response read by `SimHTTPClient`.
public struct SimHTTPResponse: Sendable {
    public var status: Int
    /// Header names lower-cased.
    public var headers: [String: String]
    public var body: [UInt8]
    /// The body as JSON (`.null` when it is not JSON).
    public var json: JSONValue { (try? JSONValue(parsing: body)) ?? .null }
    public var text: String { String(decoding: body, as: UTF8.self) }
}

/// A small keep-alive HTTP/1.1 client on SwiftNIO for kubesim's own tests and benchmark (the
/// operator uses its libcurl client). Requests on one client may be pipelined; responses
/// complete in order. `watch` opens a separate connection that streams JSON lines.
public final class SimHTTPClient: Sendable {
    private let channel: any Channel
    private let host: String
    private let token: String?

    /// Connects to `host:port` (TLS without certificate verification when `tls`).
    public static func connect(
        host: String = "127.0.0.1", port: Int, token: String? = nil, tls: Bool = false,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> SimHTTPClient {
        let channel = try await bootstrap(host: host, tls: tls, group: group) { channel in
            try channel.pipeline.syncOperations.addHandler(ResponseHandler())
        }.connect(host: host, port: port).get()
        return SimHTTPClient(channel: channel, host: host, token: token)
    }

    private init(channel: any Channel, host: String, token: String?) {
        self.channel = channel
        self.host = host
        self.token = token
    }

    static func bootstrap(
        host: String, tls: Bool, group: any EventLoopGroup,
        handlers: @escaping @Sendable (any Channel) throws -> Void
    ) throws -> ClientBootstrap {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = .none
        let context: NIOSSLContext? = tls ? try NIOSSLContext(configuration: configuration) : nil
        return ClientBootstrap(group: group)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let context {
                        try channel.pipeline.syncOperations.addHandler(
                            try NIOSSLClientHandler(context: context, serverHostname: nil))
                    }
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try handlers(channel)
                }
            }
    }

    /// Sends one request and waits for its response.
    public func send(
        _ method: String, _ path: String, json: JSONValue? = nil, body: [UInt8]? = nil,
        contentType: String = "application/json", headers: [(String, String)] = []
    ) async throws -> SimHTTPResponse {
        let body = json.map { $0.jsonBytes() } ?? body
        let head = Self.head(
            method, path, host: host, token: token, contentType: contentType, bodyLength: body?.count,
            headers: headers)
        let promise = channel.eventLoop.makePromise(of: SimHTTPResponse.self)
        let request = PendingRequest(head: head, body: body, promise: promise)
        channel.writeAndFlush(request).cascadeFailure(to: promise)
        return try await promise.futureResult.get()
    }

    static func head(
        _ method: String, _ path: String, host: String, token: String?, contentType: String, bodyLength: Int?,
        headers extra: [(String, String)]
    ) -> HTTPRequestHead {
        var headers = HTTPHeaders([("Host", host), ("Accept", "application/json")])
        if let token { headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let bodyLength {
            headers.add(name: "Content-Type", value: contentType)
            headers.add(name: "Content-Length", value: String(bodyLength))
        }
        for (name, value) in extra { headers.replaceOrAdd(name: name, value: value) }
        return HTTPRequestHead(version: .http1_1, method: HTTPMethod(rawValue: method), uri: path, headers: headers)
    }

    /// Closes the connection.
    public func close() async {
        try? await channel.close()
    }
}

/// A request with the promise its response completes.
struct PendingRequest: Sendable {
    var head: HTTPRequestHead
    var body: [UInt8]?
    var promise: EventLoopPromise<SimHTTPResponse>
}

/// Writes requests and completes their promises in order as responses arrive.
final class ResponseHandler: ChannelDuplexHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundIn = PendingRequest
    typealias OutboundOut = HTTPClientRequestPart

    private var pending: [EventLoopPromise<SimHTTPResponse>] = []
    private var current: SimHTTPResponse?

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        pending.append(request.promise)
        context.write(wrapOutboundOut(.head(request.head)), promise: nil)
        if let body = request.body {
            var buffer = context.channel.allocator.buffer(capacity: body.count)
            buffer.writeBytes(body)
            context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        }
        context.write(wrapOutboundOut(.end(nil)), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            var headers: [String: String] = [:]
            for (name, value) in head.headers { headers[name.lowercased()] = value }
            current = SimHTTPResponse(status: Int(head.status.code), headers: headers, body: [])
        case .body(let buffer):
            current?.body.append(contentsOf: buffer.readableBytesView)
        case .end:
            if let response = current, !pending.isEmpty { pending.removeFirst().succeed(response) }
            current = nil
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        let waiting = pending
        pending = []
        for request in waiting { request.fail(ChannelError.ioOnClosedChannel) }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        let waiting = pending
        pending = []
        for request in waiting { request.fail(error) }
        context.close(promise: nil)
    }
}
