import Foundation
import KubeJSON
import KubeSim
import NIOPosix

/// kubesim-bench: prints request throughput over keep-alive connections and watch fan-out
/// latency. A benchmark, never a test: numbers depend on the machine.
///
///     swift build -c release --product kubesim-bench
///     .build/release/kubesim-bench [--requests N] [--connections C] [--watchers W] [--events E] [--event-gap-ms G]
///                                  [--server-threads T] [--client-threads T] [--auto-pods P]
@main
struct BenchMain {
    static func main() async throws {
        let options = BenchOptions(CommandLine.arguments.dropFirst())
        let sim = try await KubeSimServer.start(.init(threads: options.serverThreads))
        let clients = MultiThreadedEventLoopGroup(numberOfThreads: options.clientThreads)
        print(
            "kubesim-bench: server \(sim.baseURL), \(options.serverThreads) server threads, \(options.clientThreads) client threads, \(ProcessInfo.processInfo.activeProcessorCount) cores"
        )
        do {
            let creates = try await Throughput.run(label: "pod creates", sim: sim, group: clients, options: options) {
                index in
                ("POST", "/api/v1/namespaces/default/pods", Throughput.pod(index), "application/json")
            }
            let patches = try await Throughput.run(
                label: "pod status patches", sim: sim, group: clients, options: options
            ) { index in
                (
                    "PATCH", "/api/v1/namespaces/default/pods/bench-\(index)/status",
                    ["status": ["phase": "Running", "podIP": .string("10.0.\(index / 250 % 250).\(index % 250)")]],
                    "application/merge-patch+json"
                )
            }
            print(creates.line)
            print(patches.line)
            // A small fan-out first (the operator's case), then the requested one.
            for watchers in Set([100, options.watchers]).sorted() {
                var run = options
                run.watchers = watchers
                print(try await WatchLatency.run(sim: sim, group: clients, options: run))
            }
            if options.autoPods > 0 { print(try AutoModeRuns.run(pods: options.autoPods)) }
        } catch {
            print("kubesim-bench: failed: \(error)")
        }
        try await clients.shutdownGracefully()
        try await sim.shutdown()
    }
}

/// Command-line knobs with defaults sized for a 2-core machine.
struct BenchOptions {
    var requests = 20_000
    var connections = 16
    var watchers = 1_000
    var events = 100
    /// 50 events/s: with 1,000 watchers that is 50,000 deliveries/s on two shared cores.
    var eventGapMillis = 20
    var serverThreads = 2
    var clientThreads = 2
    var autoPods = 5_000

    init(_ arguments: ArraySlice<String>) {
        var iterator = arguments.makeIterator()
        while let flag = iterator.next() {
            let value = iterator.next().flatMap { Int($0) } ?? 0
            switch flag {
            case "--requests": requests = value
            case "--connections": connections = value
            case "--watchers": watchers = value
            case "--events": events = value
            case "--event-gap-ms": eventGapMillis = value
            case "--server-threads": serverThreads = value
            case "--client-threads": clientThreads = value
            case "--auto-pods": autoPods = value
            default:
                print("kubesim-bench: unknown option \(flag)")
                exit(2)
            }
        }
    }
}

/// Nanoseconds on a monotonic clock, comparable across threads.
func monotonicNanos() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

/// Percentiles of a sample, in milliseconds.
func percentiles(_ nanos: [UInt64]) -> String {
    guard !nanos.isEmpty else { return "no samples" }
    let sorted = nanos.sorted()
    func at(_ p: Double) -> String {
        let value = Double(sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]) / 1e6
        return String(format: "%.2f", value)
    }
    return "p50 \(at(0.5)) ms, p90 \(at(0.9)) ms, p99 \(at(0.99)) ms, max \(at(1.0)) ms (\(sorted.count) samples)"
}
