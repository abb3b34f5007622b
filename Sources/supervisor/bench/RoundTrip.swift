import Foundation
import KubeJSON
import Shared

/// Commands sent at a fixed rate through the broker to the executors and back; each latency is
/// from just before the command is written to when its result has been read.
///
/// The frames are encoded before the clock starts, so the client's own JSON work (on the same
/// two cores) neither delays sends nor steals CPU from the tree being measured.
struct RoundTrip {
    var latencies: [Double]
    var sent: Int
    var errors: Int
    /// Commands sent and not yet answered when the last one was sent: a broker that keeps up
    /// holds about `rate × round trip`; one that falls behind holds a growing share of `sent`.
    var backlogAtLastSend: Int
    /// The largest number of unanswered commands seen at any time.
    var maxBacklog: Int
    /// Time from the last send to the last answer.
    var drainMilliseconds: Double

    static func run(socket path: String, rate: Int, seconds: Double) throws -> RoundTrip {
        let fd = try connect(path)
        defer { close(fd) }
        var decoder = MessageDecoder(opaquePayloads: true)
        write(fd, IPCMessage.hello(Hello(role: "ctl", pid: getpid())).frame())
        let total = Int(Double(rate) * seconds)
        let frames = (0..<total).map { n in
            IPCMessage.command(
                CommandEnvelope(
                    id: String(n), key: ObjectKey(namespace: "bench", name: "run-\(n % 64)"),
                    payload: ["n": .int(Int64(n))])
            ).frame()
        }
        var sentAt = [UInt64](repeating: 0, count: total)
        var latencies: [Double] = []
        latencies.reserveCapacity(total)
        var sent = 0
        var errors = 0
        var backlogAtLastSend = 0
        var maxBacklog = 0
        var lastSendAt: UInt64 = 0
        let start = now()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while latencies.count + errors < total {
            let due = min(total, Int(Double(now() - start) / 1e9 * Double(rate)) + 1)
            while sent < due {
                sentAt[sent] = now()
                write(fd, frames[sent])
                sent += 1
                if sent == total {
                    lastSendAt = now()
                    backlogAtLastSend = sent - latencies.count - errors
                }
            }
            maxBacklog = max(maxBacklog, sent - latencies.count - errors)
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&pfd, 1, 1) > 0 else { continue }
            let n = recv(fd, &buffer, buffer.count, 0)
            guard n > 0 else { throw BenchError("broker closed the connection") }
            for decoded in try decoder.feed(buffer[0..<n]) {
                guard case .result(let result) = decoded.message, let index = Int(result.id) else { continue }
                if result.error != nil {
                    errors += 1
                    continue
                }
                latencies.append(Double(now() - sentAt[index]) / 1000)
            }
        }
        return RoundTrip(
            latencies: latencies.sorted(), sent: sent, errors: errors, backlogAtLastSend: backlogAtLastSend,
            maxBacklog: maxBacklog, drainMilliseconds: Double(now() - lastSendAt) / 1e6)
    }

    func percentile(_ p: Double) -> Double {
        latencies.isEmpty ? .nan : latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))]
    }

    func print(rate: Int) {
        Swift.print("broker round trip at \(rate) commands/s, \(sent) commands (\(errors) answered with an error):")
        Swift.print(
            String(
                format: "  median %.0f µs   p90 %.0f µs   p99 %.0f µs   max %.0f µs (goal: median < 200 µs)",
                percentile(0.5), percentile(0.9), percentile(0.99), latencies.last ?? .nan))
        Swift.print(
            String(
                format: "  unanswered: %d at the last send, %d at most; last answer %.1f ms after the last send",
                backlogAtLastSend, maxBacklog, drainMilliseconds))
    }

    static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    static func connect(_ path: String) throws -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, byte) in path.utf8.prefix(raw.count - 1).enumerated() { raw[i] = byte }
        }
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard status == 0 else { throw BenchError("connect \(path) failed") }
        return fd
    }

    static func write(_ fd: Int32, _ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return }
            offset += n
        }
    }
}
