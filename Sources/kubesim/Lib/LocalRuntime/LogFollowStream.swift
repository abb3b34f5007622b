import KubeJSON
import NIOCore
import NIOHTTP1

/// A `pods/<p>/log?follow=true` request: what the log held when it was asked for.
struct LogFollowRequest: Sendable {
    var namespace: String
    var pod: String
    var container: String?
    var initial: String
}

/// Streams a container log as it grows, chunked, and ends when the pod has ended (or is gone).
/// Polls the store every `interval` on the connection's event loop: logs are written by local
/// processes at human rates, so a 50 ms poll costs nothing and needs no store subscription.
enum LogFollowStream {
    static let interval = TimeAmount.milliseconds(50)

    static func start(
        _ context: ChannelHandlerContext, _ head: HTTPRequestHead, _ request: LogFollowRequest, store: ObjectStore
    ) {
        let headers = HTTPHeaders([("Content-Type", "text/plain"), ("Transfer-Encoding", "chunked")])
        context.write(
            NIOAny(HTTPServerResponsePart.head(HTTPResponseHead(version: head.version, status: .ok, headers: headers))),
            promise: nil)
        // Bytes already sent; loop-bound because only the connection's event loop touches it.
        let sent = NIOLoopBoundBox(request.initial.utf8.count, eventLoop: context.eventLoop)
        write(context, Array(request.initial.utf8))
        context.flush()
        let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.eventLoop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { task in
            let context = bound.value
            guard context.channel.isActive else { return task.cancel() }
            let pod = try? store.get(.pods, namespace: request.namespace, name: request.pod)
            let text =
                (try? store.log(namespace: request.namespace, pod: request.pod, container: request.container)) ?? ""
            let bytes = Array(text.utf8)
            if bytes.count > sent.value {
                write(context, Array(bytes[sent.value...]))
                sent.value = bytes.count
            }
            let ended = pod.map { $0.isTerminal || $0.isDeleting } ?? true
            if ended {
                task.cancel()
                context.writeAndFlush(NIOAny(HTTPServerResponsePart.end(nil)), promise: nil)
            } else {
                context.flush()
            }
        }
    }

    private static func write(_ context: ChannelHandlerContext, _ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        var buffer = context.channel.allocator.buffer(capacity: bytes.count)
        buffer.writeBytes(bytes)
        context.write(NIOAny(HTTPServerResponsePart.body(.byteBuffer(buffer))), promise: nil)
    }
}
