// client-bench: prints the Kubernetes client's decode and watch throughput and the informer
// store's memory. Build and run in release: swift run -c release client-bench
import Foundation
import KubeJSON
import Shared

typealias KubeJSONValue = JSONValue

func mb(_ bytes: Int) -> String { String(format: "%.1f MB", Double(bytes) / 1_048_576) }
func line(_ label: String, _ value: String) { print(label.padding(toLength: 44, withPad: " ", startingAt: 0) + value) }

// 1. Informer store memory: 10,000 OMJobs + 20,000 pods, as decoded models. Measured first,
// on a fresh heap, decoding in batches of 500 so that garbage does not blur the difference.
func storeCost<P: KubernetesObject>(pods: P.Type) throws -> (Int, Int) {
    let heapBefore = Measure.residentBytes
    var omjobStore = InformerStore<OMJob>()
    var podStore = InformerStore<P>()
    for batch in stride(from: 0, to: 10_000, by: 500) {
        let json = try JSONEncoder().encode(["items": .array((batch..<batch + 500).map(Fixtures.omjob))] as JSONValue)
        for omjob in try JSONDecoder().decode(RawList<OMJob>.self, from: json).items { _ = omjobStore.apply(.added(omjob)) }
    }
    for batch in stride(from: 0, to: 20_000, by: 500) {
        let json = try JSONEncoder().encode(["items": .array((batch..<batch + 500).map { Fixtures.pod($0, resourceVersion: $0) })] as JSONValue)
        for pod in try JSONDecoder().decode(RawList<P>.self, from: json).items { _ = podStore.apply(.added(pod)) }
    }
    let cost = Measure.residentBytes - heapBefore
    return (cost, omjobStore.count + podStore.count)
}
// Each store is measured in a fresh child process (this program with `store=…`), so that
// neither the other store's freed memory nor the list and watch phases blur the numbers.
let arguments = Array(CommandLine.arguments.dropFirst())
if let mode = arguments.first, mode.hasPrefix("store=") {
    let (bytes, objects) = mode == "store=full" ? try storeCost(pods: Pod.self) : try storeCost(pods: PodView.self)
    let label = mode == "store=full" ? "store, OMJob + full Pod model" : "store, OMJob + PodView (decision fields)"
    line(label, mb(bytes) + " for \(objects) objects (10,000 OMJobs + 20,000 pods; goal < 60 MB)")
    exit(0)
}
for mode in ["store=view", "store=full"] {
    let child = Process()
    child.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
    child.arguments = [mode]
    try child.run()
    child.waitUntilExit()
}

// 2. Decode a list of 10,000 realistic pods.
let podList = try JSONEncoder().encode(["kind": "PodList", "apiVersion": "v1", "metadata": ["resourceVersion": "5000"],
                                        "items": .array((0..<10_000).map { Fixtures.pod($0, resourceVersion: 1000 + $0) })] as JSONValue)
let cpuBeforeList = Measure.cpuSeconds
let (pods, listSeconds) = try Measure.wall { try JSONDecoder().decode(RawList<Pod>.self, from: podList) }
line("list: pods decoded", "\(pods.items.count) (\(mb(podList.count)) of JSON)")
line("list: wall time", String(format: "%.3f s (%.0f pods/s, %.0f MB/s)", listSeconds, Double(pods.items.count) / listSeconds, Double(podList.count) / 1_048_576 / listSeconds))
line("list: CPU time", String(format: "%.3f s", Measure.cpuSeconds - cpuBeforeList))

// 3. Consume a watch of 100,000 events over HTTP through libcurl and the event loop.
// An optional argument shrinks the watch for a quick check; the reported numbers use the default.
let eventCount = arguments.first.flatMap { Int($0) } ?? 100_000
let responsePath = NSTemporaryDirectory() + "client-bench-\(getpid()).http"
let watchBytes = try WatchServer.writeWatchResponse(to: responsePath, count: eventCount)
defer { try? FileManager.default.removeItem(atPath: responsePath) }
let server = try WatchServer(responseFile: responsePath)
let loop = try LoopThread()
let client = KubeClient(configuration: ClusterConfiguration(server: "http://127.0.0.1:\(server.port)"), executor: loop.executor)
let cpuBeforeWatch = Measure.cpuSeconds
let watchStart = ContinuousClock.now
var received = 0
var lastVersion = ""
for try await event in try await client.watch(Pod.self, namespace: nil, options: WatchOptions(resourceVersion: "1")) {
    if case .modified(let pod) = event {
        received += 1
        lastVersion = pod.metadata.resourceVersion ?? ""
    }
}
let watchElapsed = ContinuousClock.now - watchStart
let watchSeconds = Double(watchElapsed.components.seconds) + Double(watchElapsed.components.attoseconds) / 1e18
let watchCPU = Measure.cpuSeconds - cpuBeforeWatch
server.wait()
await client.http.shutdown()
loop.stopAndWait()
line("watch: events decoded", "\(received) of \(eventCount) (\(mb(watchBytes)), last rv \(lastVersion))")
line("watch: wall time", String(format: "%.3f s (%.0f events/s)", watchSeconds, Double(received) / watchSeconds))
line("watch: CPU time", String(format: "%.3f s (%.0f events per CPU-second)", watchCPU, Double(received) / watchCPU))
line("peak RSS after list + watch", String(format: "%.1f MB", Measure.peakRSSMB))

line("peak RSS at exit", String(format: "%.1f MB", Measure.peakRSSMB))
