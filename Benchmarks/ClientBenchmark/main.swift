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
/// What the watcher's transform should do with an OMJob: share metadata strings, and the
/// pod templates, which are equal across the runs of one pipeline.
func compactOMJob(_ omjob: OMJob, _ interner: inout Interner) -> OMJob {
    var omjob = Informer<OMJob>.internMetadata(omjob, &interner)
    omjob.spec = interner.intern(omjob.spec)
    omjob.status = interner.intern(omjob.status)
    return omjob
}

func storeCost<P: KubernetesObject>(pods: P.Type, compact: @escaping (P, inout Interner) -> P) throws -> (Int, Int) {
    let heapBefore = Measure.heapInUseBytes
    let residentBefore = Measure.residentBytes
    var interner = Interner()
    var omjobStore = InformerStore<OMJob>()
    var podStore = InformerStore<P>()
    for batch in stride(from: 0, to: 10_000, by: 500) {
        let json = try JSONEncoder().encode(["items": .array((batch..<batch + 500).map(Fixtures.omjob))] as JSONValue)
        for omjob in try JSONDecoder().decode(RawList<OMJob>.self, from: json).items { _ = omjobStore.apply(.added(compactOMJob(omjob, &interner))) }
    }
    for batch in stride(from: 0, to: 20_000, by: 500) {
        let json = try JSONEncoder().encode(["items": .array((batch..<batch + 500).map { Fixtures.pod($0, resourceVersion: $0) })] as JSONValue)
        for pod in try JSONDecoder().decode(RawList<P>.self, from: json).items { _ = podStore.apply(.added(compact(pod, &interner))) }
    }
    let cost = withExtendedLifetime((omjobStore, podStore, interner)) { Measure.heapInUseBytes - heapBefore }
    line("  resident memory grew by", mb(Measure.residentBytes - residentBefore) + " (heap plus fragmentation from decoding)")
    return (cost, omjobStore.count + podStore.count)
}
// Every phase runs in a fresh child process (this program with the phase's name), so that
// its CPU time and peak RSS are its own and no other phase's freed memory blurs them.
// `client-bench watch=20000` runs one phase alone (e.g. under perf).
let arguments = Array(CommandLine.arguments.dropFirst())

func storePhase(_ mode: String) throws {
    let (bytes, objects) = mode == "store=full"
        ? try storeCost(pods: Pod.self, compact: Informer<Pod>.internMetadata)
        : try storeCost(pods: PodView.self) { pod, interner in pod.interned(&interner) }
    let label = mode == "store=full" ? "store, OMJob + full Pod model" : "store, OMJob + PodView (decision fields)"
    line(label, mb(bytes) + " of heap for \(objects) objects (10,000 OMJobs + 20,000 pods; goal < 60 MB)")
}

func listPhase() throws {
    // 2. Decode a list of 10,000 realistic pods.
    let podList = try JSONEncoder().encode(["kind": "PodList", "apiVersion": "v1", "metadata": ["resourceVersion": "5000"],
                                            "items": .array((0..<10_000).map { Fixtures.pod($0, resourceVersion: 1000 + $0) })] as JSONValue)
    let cpuBeforeList = Measure.cpuSeconds
    let (pods, listSeconds) = try Measure.wall { try JSONDecoder().decode(RawList<Pod>.self, from: podList) }
    line("list: pods decoded", "\(pods.items.count) (\(mb(podList.count)) of JSON)")
    line("list: wall time", String(format: "%.3f s (%.0f pods/s, %.0f MB/s)", listSeconds, Double(pods.items.count) / listSeconds, Double(podList.count) / 1_048_576 / listSeconds))
    line("list: CPU time", String(format: "%.3f s", Measure.cpuSeconds - cpuBeforeList))
    line("list: peak RSS of this phase", String(format: "%.1f MB (fixture JSON built in memory included)", Measure.peakRSSMB))
}

func watchPhase<P: KubernetesObject>(_ model: P.Type, eventCount: Int) async throws {
    // 3. Consume a watch of 100,000 events over HTTP through libcurl and the event loop.
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
    for try await event in try await client.watch(P.self, resource: Pod.resourceType, namespace: nil, options: WatchOptions(resourceVersion: "1")) {
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
    line("watch: \(P.self) events decoded", "\(received) of \(eventCount) (\(mb(watchBytes)), last rv \(lastVersion))")
    line("watch: wall time", String(format: "%.3f s (%.0f events/s)", watchSeconds, Double(received) / watchSeconds))
    line("watch: CPU time", String(format: "%.3f s (%.0f events per CPU-second)", watchCPU, Double(received) / watchCPU))
    line("watch: peak RSS of this phase", String(format: "%.1f MB", Measure.peakRSSMB))
}

switch arguments.first {
case let mode? where mode.hasPrefix("store="):
    try storePhase(mode)
case "list":
    try listPhase()
case let mode? where mode.hasPrefix("watch-view"):
    try await watchPhase(PodView.self, eventCount: Int(mode.dropFirst("watch-view=".count)) ?? 100_000)
case let mode? where mode.hasPrefix("watch"):
    try await watchPhase(Pod.self, eventCount: Int(mode.dropFirst("watch=".count)) ?? 100_000)
default:
    for phase in ["store=view", "store=full", "list", "watch", "watch-view"] {
        let child = Process()
        child.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        child.arguments = [phase]
        try child.run()
        child.waitUntilExit()
    }
}
