// client-bench: prints the Kubernetes client's decode and watch throughput and the informer
// store's memory. Build and run in release: swift run -c release client-bench
import Foundation
import KubeAPI
import KubeJSON
import Models
import Spawn
import UVLoop

typealias KubeJSONValue = JSONValue

func mb(_ bytes: Int) -> String { String(format: "%.1f MB", Double(bytes) / 1_048_576) }
func line(_ label: String, _ value: String) { print(label.padding(toLength: 44, withPad: " ", startingAt: 0) + value) }

// 1. Informer store memory: 10,000 OMJobs + 20,000 pods, as the informers store them.
// Measured first, on a fresh heap, decoding in batches of 500 so that garbage does not blur
// the difference.

/// Decoded as `KubeClient` decodes an answer: straight from the bytes when the type is
/// `JSONReadable` (a `RawList` of `PodView` or `OMJob`), with `JSONDecoder` otherwise (of the full `Pod`).
func decode<T: Decodable>(_ type: T.Type, _ data: Data) throws -> T {
    if let readable = T.self as? any JSONReadable.Type, let value = try readable.init(jsonBytes: data) as? T {
        return value
    }
    return try JSONDecoder().decode(T.self, from: data)
}

/// How one store phase decodes and compacts objects: the production path (the types and
/// transforms the watcher's and gc's informers use) or the full models, for comparison.
struct StoreModels<P: KubernetesObject> {
    var label: String
    var omJob: (OMJob, inout Interner) -> OMJob
    var pod: (P, inout Interner) -> P
}

let productionStore = StoreModels<PodView>(
    label: "store (production: OMJob, PodView)",
    omJob: { $0.interned(&$1) }, pod: { $0.interned(&$1) })
let fullStore = StoreModels<Pod>(
    label: "store (full models: OMJob, Pod)",
    omJob: Informer<OMJob>.internMetadata, pod: Informer<Pod>.internMetadata)

func storeCost<P: KubernetesObject>(_ models: StoreModels<P>) throws -> (Int, Int) {
    let heapBefore = Measure.heapInUseBytes
    let residentBefore = Measure.residentBytes
    var interner = Interner()
    var omjobStore = InformerStore<OMJob>()
    var podStore = InformerStore<P>()
    for batch in stride(from: 0, to: 10_000, by: 500) {
        let json = try JSONEncoder().encode(["items": .array((batch..<batch + 500).map(Fixtures.omjob))] as JSONValue)
        for omjob in try decode(RawList<OMJob>.self, json).items {
            _ = omjobStore.apply(.added(models.omJob(omjob, &interner)))
        }
    }
    for batch in stride(from: 0, to: 20_000, by: 500) {
        let json = try JSONEncoder().encode(
            ["items": .array((batch..<batch + 500).map { Fixtures.pod($0, resourceVersion: $0) })] as JSONValue)
        for pod in try decode(RawList<P>.self, json).items {
            _ = podStore.apply(.added(models.pod(pod, &interner)))
        }
    }
    let cost = withExtendedLifetime((omjobStore, podStore, interner)) { Measure.heapInUseBytes - heapBefore }
    line(
        "  resident memory grew by",
        mb(Measure.residentBytes - residentBefore) + " (heap plus fragmentation from decoding)")
    return (cost, omjobStore.count + podStore.count)
}
// Every phase runs in a fresh child process (this program with the phase's name), so that
// its CPU time and peak RSS are its own and no other phase's freed memory blurs them.
// `client-bench watch=20000` runs one phase alone (e.g. under perf); a `-full` suffix
// (`store-full`, `list-full`, `watch-full`) measures the full `Pod` model instead of `PodView`.
let arguments = Array(CommandLine.arguments.dropFirst())

func storePhase<P: KubernetesObject>(_ models: StoreModels<P>) throws {
    let (bytes, objects) = try storeCost(models)
    line(models.label, mb(bytes) + " of heap for \(objects) objects (10,000 OMJobs + 20,000 pods; goal < 60 MB)")
}

func listPhase<P: KubernetesObject>(_ model: P.Type) throws {
    // 2. Decode a list of 10,000 realistic pods.
    let podList = try JSONEncoder().encode(
        [
            "kind": "PodList", "apiVersion": "v1", "metadata": ["resourceVersion": "5000"],
            "items": .array((0..<10_000).map { Fixtures.pod($0, resourceVersion: 1000 + $0) }),
        ] as JSONValue)
    let cpuBeforeList = Measure.cpuSeconds
    let (pods, listSeconds) = try Measure.wall { try decode(RawList<P>.self, podList) }
    line("list: \(P.self) items decoded", "\(pods.items.count) (\(mb(podList.count)) of JSON)")
    line(
        "list: wall time",
        String(
            format: "%.3f s (%.0f pods/s, %.0f MB/s)", listSeconds, Double(pods.items.count) / listSeconds,
            Double(podList.count) / 1_048_576 / listSeconds))
    line("list: CPU time", String(format: "%.3f s", Measure.cpuSeconds - cpuBeforeList))
    line(
        "list: peak RSS of this phase",
        String(format: "%.1f MB (fixture JSON built in memory included)", Measure.peakRSSMB))
}

/// 3. Consumes a watch of `eventCount` events over HTTP through libcurl and the event loop,
/// as an informer does: decode each event, compact it with the store's transform, apply it
/// to an `InformerStore`.
func watchPhase<P: KubernetesObject>(_ models: StoreModels<P>, eventCount: Int) async throws {
    let responsePath = NSTemporaryDirectory() + "client-bench-\(getpid()).http"
    let watchBytes = try WatchServer.writeWatchResponse(to: responsePath, count: eventCount)
    defer { try? FileManager.default.removeItem(atPath: responsePath) }
    let server = try WatchServer(responseFile: responsePath)
    let loop = try LoopThread()
    let client = KubeClient(
        configuration: ClusterConfiguration(server: "http://127.0.0.1:\(server.port)"), executor: loop.executor)
    let cpuBeforeWatch = Measure.cpuSeconds
    let watchStart = ContinuousClock.now
    var received = 0
    var lastVersion = ""
    var interner = Interner()
    var store = InformerStore<P>()
    for try await event in try await client.watch(
        P.self, resource: Pod.resourceType, namespace: nil, options: WatchOptions(resourceVersion: "1"))
    {
        if case .modified(let pod) = event {
            received += 1
            lastVersion = pod.metadata.resourceVersion ?? ""
            _ = store.apply(.modified(models.pod(pod, &interner)))
        }
    }
    let watchElapsed = ContinuousClock.now - watchStart
    let watchSeconds = Double(watchElapsed.components.seconds) + Double(watchElapsed.components.attoseconds) / 1e18
    let watchCPU = Measure.cpuSeconds - cpuBeforeWatch
    server.wait()
    await client.http.shutdown()
    loop.stopAndWait()
    line(
        "watch: \(P.self) events decoded + stored",
        "\(received) of \(eventCount) (\(mb(watchBytes)), last rv \(lastVersion), \(store.count) keys)")
    line("watch: wall time", String(format: "%.3f s (%.0f events/s)", watchSeconds, Double(received) / watchSeconds))
    line(
        "watch: CPU time", String(format: "%.3f s (%.0f events per CPU-second)", watchCPU, Double(received) / watchCPU))
    line("watch: peak RSS of this phase", String(format: "%.1f MB", Measure.peakRSSMB))
}

/// 4. Reads 10,000 CronOMJobs (each wrapping an OpenMetadata OMJob spec, with a status), each
/// from its own bytes as a watch event's object is read: from the bytes (production) and
/// through `JSONDecoder` (`cron-full`), for comparison.
func cronPhase(readingFromBytes: Bool) throws {
    let texts = try (0..<10_000).map { i -> Data in
        let omjob = Fixtures.omjob(i)
        let cron: JSONValue = [
            "apiVersion": "pipelines.openmetadata.org/v1", "kind": "CronOMJob",
            "metadata": omjob["metadata"] ?? .null,
            "spec": ["schedule": "0 * * * *", "concurrencyPolicy": "Forbid", "omJobSpec": omjob["spec"] ?? .null],
            "status": ["lastScheduleTime": "2026-03-10T10:00:00Z", "lastOMJobName": .string("ingest-\(i)-1")],
        ]
        return try JSONEncoder().encode(cron)
    }
    let cpuBefore = Measure.cpuSeconds
    var schedules = 0
    for text in texts {
        let cron =
            readingFromBytes ? try CronOMJob(jsonBytes: text) : try JSONDecoder().decode(CronOMJob.self, from: text)
        schedules += cron.spec?.schedule.count ?? 0
    }
    let cpu = Measure.cpuSeconds - cpuBefore
    line(
        "cron: CronOMJobs read" + (readingFromBytes ? "" : " (JSONDecoder)"),
        String(
            format: "%d (%.1f KB each), %.1f µs of CPU each", texts.count, Double(texts[0].count) / 1024,
            cpu / Double(texts.count) * 1e6)
            + (schedules > 0 ? "" : " (none read)"))
}

/// `watch=N` → N (default 100,000).
func count(_ mode: String) -> Int { mode.split(separator: "=").dropFirst().first.flatMap { Int($0) } ?? 100_000 }

switch arguments.first {
case "store": try storePhase(productionStore)
case "store-full": try storePhase(fullStore)
case "list": try listPhase(PodView.self)
case "list-full": try listPhase(Pod.self)
case "cron": try cronPhase(readingFromBytes: true)
case "cron-full": try cronPhase(readingFromBytes: false)
case let mode? where mode.hasPrefix("watch-full"): try await watchPhase(fullStore, eventCount: count(mode))
case let mode? where mode.hasPrefix("watch"): try await watchPhase(productionStore, eventCount: count(mode))
case let mode?:
    print(
        "client-bench: unknown phase \(mode) (store, store-full, list, list-full, cron, cron-full, watch[=N], watch-full[=N])"
    )
    exit(2)
default:
    print(
        "Production path: the watcher's and gc's informer types and transforms. `-full`: full models, for comparison.")
    for phase in ["store", "store-full", "list", "list-full", "cron", "cron-full", "watch", "watch-full"] {
        let child = try SpawnedProcess(
            executable: CommandLine.arguments[0], arguments: [phase],
            environment: ProcessInfo.processInfo.environment, stdout: .inherit, stderr: .inherit)
        child.waitUntilExit()
    }
}
