// Exit-handler start latency with many runs in flight, on kubesim, with the real built operator:
// time from the kubelet's write that makes a main pod terminal to the exit pod's creation at
// the API server (both seen in-process at kubesim), and API writes per run's lifecycle.
//
// Usage: swift build -c release && .build/release/ExitLatencyBenchmark [runs] [pace-ms]
//   runs: OMJobs in flight (default 1000); pace-ms: time between two main pods ending
//   (default 0: all end at once, a burst; 10 means 100 endings per second).
import Foundation
import KubeJSON
import KubeSim
import Spawn
import Synchronization

let runs = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 1000
let paceMs = CommandLine.arguments.dropFirst(2).first.flatMap(Int.init) ?? 0
let namespace = "bench"
let omjobs = GroupResource(group: "pipelines.openmetadata.org", resource: "omjobs")
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
let binDir = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent().path

/// What kubesim saw, with arrival times.
final class Records: Sendable {
    let exitCreated = Mutex<[String: ContinuousClock.Instant]>([:])
    let writes = Mutex(0)
}

func waitUntil(_ what: String, timeout: Double = 300, _ condition: () -> Bool) {
    let deadline = Date().addingTimeInterval(timeout)
    while !condition() {
        if Date() > deadline { fatalError("timed out waiting for \(what)") }
        usleep(10_000)
    }
}

func list(_ resource: GroupResource, _ selector: String? = nil, _ sim: KubeSimServer) -> [JSONValue] {
    (try? sim.store.list(resource, namespace: namespace, options: .init(labelSelector: selector)).items) ?? []
}

func status(_ pod: String, _ body: JSONValue, _ sim: KubeSimServer) {
    _ = try? sim.store.patch(
        .pods, namespace: namespace, name: pod, type: .merge, patch: ["status": body], subresource: .status)
}

func terminated(_ code: Int64) -> JSONValue {
    [
        "phase": code == 0 ? "Succeeded" : "Failed",
        "containerStatuses": [
            [
                "name": "main", "ready": false, "restartCount": 0, "image": "i",
                "imageID": "",
                "state": ["terminated": ["exitCode": .int(code), "reason": code == 0 ? "Completed" : "Error"]],
            ]
        ],
    ]
}

let running: JSONValue = [
    "phase": "Running",
    "containerStatuses": [
        [
            "name": "main", "ready": true, "restartCount": 0, "image": "i",
            "imageID": "", "state": ["running": ["startedAt": "2026-01-01T00:00:00Z"]],
        ]
    ],
]

func omJob(_ i: Int) -> JSONValue {
    [
        "apiVersion": "pipelines.openmetadata.org/v1", "kind": "OMJob",
        "metadata": ["name": .string("run-\(i)"), "namespace": .string(namespace)],
        "spec": [
            "mainPodSpec": ["image": "i", "serviceAccountName": "sa", "command": ["main"]],
            "exitHandlerSpec": ["image": "i", "serviceAccountName": "sa", "command": ["exit"]],
        ],
    ]
}

func percentile(_ sorted: [Double], _ p: Double) -> Double {
    sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
}

let sim = try await KubeSimServer.start(
    .init(token: "bench", crdDirectory: root.appendingPathComponent("deploy/crds").path, threads: 2))
_ = try sim.store.create(
    .namespaces, namespace: nil,
    object: ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(namespace)]])
let records = Records()
sim.interceptor = { request in
    if request.method != "GET" { records.writes.withLock { $0 += 1 } }
    return nil
}
_ = try sim.store.watch(.pods, namespace: namespace, options: .init()) { event in
    guard event.type == .added,
        event.object[path: ["metadata", "labels", "omjob.pipelines.openmetadata.org/pod-type"]]?.stringValue
            == "exit-handler",
        let run = event.object[path: ["metadata", "labels", "omjob.pipelines.openmetadata.org/name"]]?.stringValue
    else { return }
    let now = ContinuousClock.now
    records.exitCreated.withLock { $0[run] = $0[run] ?? now }
}

let directory = NSTemporaryDirectory() + "/omjob-bench-\(getpid())"
try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
try """
apiVersion: v1
kind: Config
clusters: [{name: sim, cluster: {server: "\(sim.baseURL)"}}]
users: [{name: b, user: {token: bench}}]
contexts: [{name: sim, context: {cluster: sim, user: b}}]
current-context: sim
""".write(toFile: directory + "/kubeconfig", atomically: true, encoding: .utf8)
let supervisor = try SpawnedProcess(
    executable: binDir + "/omjob-supervisor",
    environment: [
        "PATH": "/usr/bin:/bin", "KUBECONFIG": directory + "/kubeconfig", "OMJOB_RUN_DIR": directory + "/run",
        "HEALTH_CHECK_PORT": "0", "EXECUTOR_WORKERS": "2", "LOG_LEVEL": "ERROR", "BROKER_QUEUE_LIMIT": "100000",
    ],
    stdout: .inherit, stderr: .null)
defer {
    supervisor.signal(SIGTERM)
    supervisor.waitUntilExit()
    try? FileManager.default.removeItem(atPath: directory)
}

let started = Date()
for i in 0..<runs { _ = try sim.store.create(omjobs, namespace: namespace, object: omJob(i)) }
waitUntil("\(runs) main pods") { list(.pods, "omjob.pipelines.openmetadata.org/pod-type=main", sim).count == runs }
for i in 0..<runs { status("run-\(i)-main", running, sim) }
waitUntil("\(runs) runs Running") {
    list(omjobs, nil, sim).filter { $0[path: ["status", "phase"]]?.stringValue == "Running" }.count == runs
}
let startupWrites = records.writes.withLock { $0 }

// The measured part: every main pod ends while all runs are in flight.
var ended: [String: ContinuousClock.Instant] = [:]
for i in 0..<runs {
    ended["run-\(i)"] = .now
    status("run-\(i)-main", terminated(i % 2 == 0 ? 0 : 1), sim)
    if paceMs > 0 { usleep(useconds_t(paceMs * 1000)) }
}
waitUntil("\(runs) exit pods") { records.exitCreated.withLock { $0.count } == runs }
let created = records.exitCreated.withLock { $0 }
let latencies = ended.map { run, end in
    Double((created[run]! - end).components.attoseconds) / 1e15 + Double((created[run]! - end).components.seconds)
        * 1000
}.sorted()

for pod in list(.pods, "omjob.pipelines.openmetadata.org/pod-type=exit-handler", sim) {
    status(pod[path: ["metadata", "name"]]?.stringValue ?? "", terminated(0), sim)
}
waitUntil("\(runs) runs Succeeded without finalizers") {
    list(omjobs, nil, sim).allSatisfy {
        $0[path: ["status", "phase"]]?.stringValue == "Succeeded"
            && ($0[path: ["metadata", "finalizers"]]?.arrayValue ?? []).isEmpty
    }
        && list(.pods, nil, sim).allSatisfy { ($0[path: ["metadata", "finalizers"]]?.arrayValue ?? []).isEmpty }
}
let writes = records.writes.withLock { $0 }
print("runs in flight:               \(runs), endings \(paceMs == 0 ? "all at once" : "one every \(paceMs) ms")")
print(
    "exit-handler start latency:   p50 \(String(format: "%.2f", percentile(latencies, 0.5))) ms, p99 \(String(format: "%.2f", percentile(latencies, 0.99))) ms, max \(String(format: "%.2f", latencies.last ?? 0)) ms"
)
print(
    "API writes per run:           \(String(format: "%.2f", Double(writes) / Double(runs))) (\(writes) total; \(startupWrites) before the endings)"
)
print("whole lifecycle of all runs:  \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
try await sim.shutdown()
