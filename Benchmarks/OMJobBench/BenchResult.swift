import BenchHarness
import Foundation

/// Every figure of one `omjob-bench` run (written as JSON, printed as a table).
struct BenchResult: Codable {
    var runs: Int
    var inFlight: Int
    var runSeconds: Double
    var executors: Int
    var cores: Int
    var loadAverageBefore: String
    var loadAverageAfter = ""
    var startToReadyEmptySeconds = 0.0
    var idle = MemorySample()
    var peak = MemorySample()
    var steady = MemorySample()
    var exitStart = LatencySummary([])
    var floorExitStart = LatencySummary([])
    var wallSeconds = 0.0
    var runsPerSecond = 0.0
    var floorRunsPerSecond = 0.0
    var requestsPerRun: [String: Double] = [:]
    var cpuSecondsPer1000Runs = 0.0
    var processesSeen = 0
    var readyOMJobs = 0
    var startToReadySeconds = 0.0
    var withReadyOMJobs = MemorySample()

    var ratioToFloorP50: Double { floorExitStart.p50 > 0 ? exitStart.p50 / floorExitStart.p50 : 0 }
    var ratioToFloorP99: Double { floorExitStart.p99 > 0 ? exitStart.p99 / floorExitStart.p99 : 0 }

    var table: String {
        func ms(_ value: Double) -> String { String(format: "%.2f ms", value) }
        func mb(_ sample: MemorySample) -> String { String(format: "PSS %.1f MB  (RSS %.1f MB, %d processes)", sample.pssMB, sample.rssMB, sample.processes) }
        let verbs = requestsPerRun.sorted { $0.key < $1.key }.map { "\($0.key) " + String(format: "%.2f", $0.value) }.joined(separator: ", ")
        let total = requestsPerRun.values.reduce(0, +)
        var lines = [
            "omjob-bench: \(runs) runs, \(inFlight) in flight, pods run \(runSeconds) s, \(executors) executors, \(cores) cores",
            "load average before \(loadAverageBefore), after \(loadAverageAfter)",
            "",
            "exit-handler start latency   p50 \(ms(exitStart.p50))  p95 \(ms(exitStart.p95))  p99 \(ms(exitStart.p99))  max \(ms(exitStart.max))  (n=\(exitStart.count))",
            "floor (watch + create)       p50 \(ms(floorExitStart.p50))  p95 \(ms(floorExitStart.p95))  p99 \(ms(floorExitStart.p99))  max \(ms(floorExitStart.max))",
            String(format: "ratio to floor               p50 %.2f  p99 %.2f", ratioToFloorP50, ratioToFloorP99),
            String(format: "throughput                   %.1f runs/s (%.1f s wall; floor %.1f runs/s)", runsPerSecond, wallSeconds, floorRunsPerSecond),
            "API requests per run         " + String(format: "%.2f", total) + ": " + verbs,
            String(format: "CPU per 1,000 runs           %.2f s (whole tree, %d processes seen)", cpuSecondsPer1000Runs, processesSeen),
            "memory idle                  \(mb(idle))",
            "memory peak                  \(mb(peak))",
            "memory steady (after)        \(mb(steady))",
            String(format: "start to ready (no OMJobs)   %.2f s", startToReadyEmptySeconds),
        ]
        if readyOMJobs > 0 {
            lines.append(String(format: "start to ready (%d OMJobs) %.2f s", readyOMJobs, startToReadySeconds))
            lines.append("memory with \(readyOMJobs) OMJobs   \(mb(withReadyOMJobs))")
        }
        return lines.joined(separator: "\n")
    }

    /// Writes the JSON (creating the directory); returns the path.
    func write(to path: String) throws -> String {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        var object = try JSONSerialization.jsonObject(with: encoder.encode(self)) as? [String: Any] ?? [:]
        object["ratioToFloorP50"] = ratioToFloorP50
        object["ratioToFloorP99"] = ratioToFloorP99
        try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys]).write(to: URL(fileURLWithPath: path))
        return path
    }
}
