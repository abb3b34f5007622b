import Foundation
import KubeJSON
import KubeSim
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// Opens `watchers` watch streams on pods, creates `events` pods a few milliseconds apart, and
/// measures, per watcher and event, the time from sending the create to receiving the line.
enum WatchLatency {
    static func run(sim: KubeSimServer, group: any EventLoopGroup, options: BenchOptions) async throws -> String {
        let recorder = ArrivalRecorder()
        let rv = sim.store.resourceVersion
        let before = sim.store.watchCount
        var channels: [any Channel] = []
        for _ in 0..<options.watchers {
            channels.append(
                try await openWatch(
                    port: sim.port, path: "/api/v1/namespaces/watched/pods?watch=1&resourceVersion=\(rv)",
                    group: group, recorder: recorder))
        }
        if (try? sim.store.get(.namespaces, namespace: nil, name: "watched")) == nil {
            try sim.store.create(.namespaces, namespace: nil, object: ["metadata": ["name": "watched"]])
        }
        for _ in 0..<200 where sim.store.watchCount < before + options.watchers {
            try await Task.sleep(for: .milliseconds(10))
        }
        let client = try await SimHTTPClient.connect(port: sim.port, group: group)
        var sent: [UInt64] = []
        for index in 0..<options.events {
            sent.append(monotonicNanos())
            var pod = Throughput.pod(index)
            pod.set(["metadata", "generateName"], .string("w\(options.watchers)-"))
            pod.set(["metadata", "name"], nil)
            _ = try await client.send("POST", "/api/v1/namespaces/watched/pods", json: pod)
            try await Task.sleep(for: .milliseconds(options.eventGapMillis))
        }
        let expected = options.watchers * options.events
        for _ in 0..<500 where recorder.count < expected { try await Task.sleep(for: .milliseconds(10)) }
        await client.close()
        for channel in channels { try? await channel.close() }
        for _ in 0..<200 where sim.store.watchCount > before { try await Task.sleep(for: .milliseconds(10)) }
        let latencies = recorder.latencies(sent: sent)
        return
            "watch fan-out: \(options.watchers) watchers x \(options.events) events, delivered \(recorder.count)/\(expected); latency \(percentiles(latencies))"
    }

    /// A raw TCP watcher: the request is written by hand and the response is only scanned for
    /// event starts, so the client's HTTP decoding does not eat the CPU the server is measured on.
    private static func openWatch(port: Int, path: String, group: any EventLoopGroup, recorder: ArrivalRecorder)
        async throws -> any Channel
    {
        let channel = try await ClientBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ArrivalHandler(recorder: recorder))
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        let request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n\r\n"
        try await channel.writeAndFlush(ByteBuffer(string: request)).get()
        return channel
    }
}

/// Collects (event index, arrival time) from every watcher.
final class ArrivalRecorder: Sendable {
    private let arrivals = NIOLockedValueBox<[(Int, UInt64)]>([])
    var count: Int { arrivals.withLockedValue { $0.count } }
    func record(_ index: Int, _ at: UInt64) { arrivals.withLockedValue { $0.append((index, at)) } }
    func latencies(sent: [UInt64]) -> [UInt64] {
        arrivals.withLockedValue {
            $0.compactMap { index, at in index < sent.count && at >= sent[index] ? at - sent[index] : nil }
        }
    }
}

/// Counts events of one raw watch stream by the `{"type":"` that starts each event line
/// (events arrive in order, so the n-th match is the n-th create).
final class ArrivalHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    private static let marker = Array(#"{"type":""#.utf8)
    private let recorder: ArrivalRecorder
    private var next = 0
    private var matched = 0

    init(recorder: ArrivalRecorder) { self.recorder = recorder }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        let now = monotonicNanos()
        for byte in buffer.readableBytesView {
            // The marker has no repeated prefix, so a mismatch restarts the match at this byte.
            if byte == Self.marker[matched] {
                matched += 1
            } else {
                matched = byte == Self.marker[0] ? 1 : 0
            }
            if matched == Self.marker.count {
                recorder.record(next, now)
                next += 1
                matched = 0
            }
        }
    }
}
