import KubeJSON
import NIOCore
import NIOHTTP1
import NIOPosix

/// A watch request on its own connection: the HTTP status, then each JSON line as an event.
public final class SimWatch: Sendable {
    /// Parsed lines (`{"type":…,"object":…}`); finishes when the server ends the stream.
    public let events: AsyncStream<JSONValue>
    /// The response status code.
    public let status: Int
    private let channel: any Channel

    /// Opens `path` (which should include `watch=1`) and waits for the response head.
    public static func open(
        host: String = "127.0.0.1", port: Int, path: String, token: String? = nil, tls: Bool = false,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> SimWatch {
        let (events, continuation) = AsyncStream<JSONValue>.makeStream()
        let headPromise = group.next().makePromise(of: Int.self)
        let channel = try await SimHTTPClient.bootstrap(host: host, tls: tls, group: group) { channel in
            try channel.pipeline.syncOperations.addHandler(
                LineStreamHandler(continuation: continuation, head: headPromise))
        }.connect(host: host, port: port).get()
        let head = SimHTTPClient.head(
            "GET", path, host: host, token: token, contentType: "", bodyLength: nil, headers: [])
        channel.write(HTTPClientRequestPart.head(head), promise: nil)
        try await channel.writeAndFlush(HTTPClientRequestPart.end(nil)).get()
        let status = try await headPromise.futureResult.get()
        return SimWatch(events: events, status: status, channel: channel)
    }

    private init(events: AsyncStream<JSONValue>, status: Int, channel: any Channel) {
        self.events = events
        self.status = status
        self.channel = channel
    }

    /// Closes the connection (the server then drops the watch).
    public func close() async {
        try? await channel.close()
    }
}

/// Splits a streamed body into lines and parses each as JSON.
final class LineStreamHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart

    private let continuation: AsyncStream<JSONValue>.Continuation
    private let head: EventLoopPromise<Int>
    private var partial: [UInt8] = []
    private var headSeen = false

    init(continuation: AsyncStream<JSONValue>.Continuation, head: EventLoopPromise<Int>) {
        self.continuation = continuation
        self.head = head
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let h):
            headSeen = true
            head.succeed(Int(h.status.code))
        case .body(let buffer):
            partial.append(contentsOf: buffer.readableBytesView)
            while let newline = partial.firstIndex(of: UInt8(ascii: "\n")) {
                let line = Array(partial[..<newline])
                partial.removeSubrange(...newline)
                if let value = try? JSONValue(parsing: line) { continuation.yield(value) }
            }
        case .end:
            if !partial.isEmpty, let value = try? JSONValue(parsing: partial) { continuation.yield(value) }
            continuation.finish()
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if !headSeen { head.fail(ChannelError.ioOnClosedChannel) }
        headSeen = true
        continuation.finish()
        context.fireChannelInactive()
    }
}
