import Foundation
import KubeJSON
import KubeSim
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// Opens `watchers` watch streams on pods, creates `events` pods a few milliseconds apart, and
/// measures, per watcher and event, the time from sending the create to receiving the line.
enum WatchLatency {
    static func run(sim: KubeSimServer, group: any EventLoopGroup, options: BenchOptions) async throws -> String {
        let recorder = ArrivalRecorder()
        let rv = sim.store.resourceVersion
        var channels: [any Channel] = []
        for _ in 0..<options.watchers {
            channels.append(try await openWatch(port: sim.port, path: "/api/v1/namespaces/watched/pods?watch=1&resourceVersion=\(rv)",
                                                group: group, recorder: recorder))
        }
        try sim.store.create(.namespaces, namespace: nil, object: ["metadata": ["name": "watched"]])
        for _ in 0..<200 where sim.store.watchCount < options.watchers { try await Task.sleep(for: .milliseconds(10)) }
        let client = try await SimHTTPClient.connect(port: sim.port, group: group)
        var sent: [UInt64] = []
        for index in 0..<options.events {
            sent.append(monotonicNanos())
            _ = try await client.send("POST", "/api/v1/namespaces/watched/pods", json: Throughput.pod(index))
            try await Task.sleep(for: .milliseconds(options.eventGapMillis))
        }
        let expected = options.watchers * options.events
        for _ in 0..<500 where recorder.count < expected { try await Task.sleep(for: .milliseconds(10)) }
        await client.close()
        for channel in channels { try? await channel.close() }
        let latencies = recorder.latencies(sent: sent)
        return "watch fan-out: \(options.watchers) watchers x \(options.events) events, delivered \(recorder.count)/\(expected); latency \(percentiles(latencies))"
    }

    private static func openWatch(port: Int, path: String, group: any EventLoopGroup, recorder: ArrivalRecorder) async throws -> any Channel {
        let channel = try await ClientBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(ArrivalHandler(recorder: recorder))
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: path, headers: ["Host": "127.0.0.1"])
        channel.write(HTTPClientRequestPart.head(head), promise: nil)
        try await channel.writeAndFlush(HTTPClientRequestPart.end(nil)).get()
        return channel
    }
}

/// Collects (event index, arrival time) from every watcher.
final class ArrivalRecorder: Sendable {
    private let arrivals = NIOLockedValueBox<[(Int, UInt64)]>([])
    var count: Int { arrivals.withLockedValue { $0.count } }
    func record(_ index: Int, _ at: UInt64) { arrivals.withLockedValue { $0.append((index, at)) } }
    func latencies(sent: [UInt64]) -> [UInt64] {
        arrivals.withLockedValue { $0.compactMap { index, at in index < sent.count && at >= sent[index] ? at - sent[index] : nil } }
    }
}

/// Counts newline-terminated events of one watch stream (each line is the next event, in order).
final class ArrivalHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart
    private let recorder: ArrivalRecorder
    private var next = 0

    init(recorder: ArrivalRecorder) { self.recorder = recorder }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .body(let buffer) = unwrapInboundIn(data) else { return }
        let now = monotonicNanos()
        for byte in buffer.readableBytesView where byte == UInt8(ascii: "\n") {
            recorder.record(next, now)
            next += 1
        }
    }
}
