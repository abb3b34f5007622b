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
    var idleRequestsPerMinute = 0.0
    var peak = MemorySample()
    var steady = MemorySample()
    var exitStart = LatencySummary([])
    var floorExitStart = LatencySummary([])
    var wallSeconds = 0.0
    var runsPerSecond = 0.0
    var floorRunsPerSecond = 0.0
    var requestsPerRun: [String: Double] = [:]
    var requestsPerRunByResource: [String: Double] = [:]
    var cpuSecondsPer1000Runs = 0.0
    var processesSeen = 0
    var readyOMJobs = 0
    var startToReadySeconds = 0.0
    var withReadyOMJobs = MemorySample()

    var ratioToFloorP50: Double { floorExitStart.p50 > 0 ? exitStart.p50 / floorExitStart.p50 : 0 }
    var ratioToFloorP99: Double { floorExitStart.p99 > 0 ? exitStart.p99 / floorExitStart.p99 : 0 }

    var table: String {
        let verbs = requestsPerRun.sorted { $0.key < $1.key }.map { "\($0.key) " + Self.number($0.value) }.joined(separator: ", ")
        let total = requestsPerRun.values.reduce(0, +)
        var lines: [String] = []
        lines.append("omjob-bench: \(runs) runs, \(inFlight) in flight, pods run \(runSeconds) s, \(executors) executors, \(cores) cores")
        lines.append("load average before \(loadAverageBefore), after \(loadAverageAfter)")
        lines.append("")
        lines.append("exit-handler start latency   " + Self.latency(exitStart))
        lines.append("floor (watch + create)       " + Self.latency(floorExitStart))
        lines.append("ratio to floor               p50 " + Self.number(ratioToFloorP50) + "  p99 " + Self.number(ratioToFloorP99))
        lines.append("throughput                   " + Self.number(runsPerSecond) + " runs/s (" + Self.number(wallSeconds) + " s wall; floor "
            + Self.number(floorRunsPerSecond) + " runs/s)")
        lines.append("API requests per run         " + Self.number(total) + ": " + verbs)
        let writes = requestsPerRun.filter { !["get", "list", "watch"].contains($0.key) }.values.reduce(0, +)
        lines.append("API writes per run           " + Self.number(writes))
        lines.append("  by verb and resource       " + requestsPerRunByResource.sorted { $0.key < $1.key }
            .map { "\($0.key) " + Self.number($0.value) }.joined(separator: ", "))
        lines.append("CPU per 1,000 runs           " + Self.number(cpuSecondsPer1000Runs) + " s (whole tree, \(processesSeen) processes seen)")
        lines.append("API requests while idle      " + Self.number(idleRequestsPerMinute) + " per minute (no runs, tree ready)")
        lines.append("memory idle                  " + Self.memory(idle))
        lines.append("memory peak                  " + Self.memory(peak))
        lines.append("memory steady (after)        " + Self.memory(steady))
        lines.append("start to ready (no OMJobs)   " + Self.number(startToReadyEmptySeconds) + " s")
        if readyOMJobs > 0 {
            lines.append("start to ready (\(readyOMJobs) OMJobs) " + Self.number(startToReadySeconds) + " s")
            lines.append("memory with \(readyOMJobs) OMJobs   " + Self.memory(withReadyOMJobs))
        }
        return lines.joined(separator: "\n")
    }

    static func number(_ value: Double) -> String { String(format: "%.2f", value) }

    static func latency(_ summary: LatencySummary) -> String {
        "p50 \(number(summary.p50)) ms  p95 \(number(summary.p95)) ms  p99 \(number(summary.p99)) ms  max \(number(summary.max)) ms  (n=\(summary.count))"
    }

    static func memory(_ sample: MemorySample) -> String {
        "PSS " + number(sample.pssMB) + " MB  (RSS " + number(sample.rssMB) + " MB, \(sample.processes) processes)"
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
