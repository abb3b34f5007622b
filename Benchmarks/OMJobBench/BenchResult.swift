import BenchHarness
import Foundation

/// Every figure of one `omjob-bench` run (written as JSON, printed as a table): what the tree
/// costs at rest and at start, and for each schedule of endings that ran, its own figures.
struct BenchResult: Encodable {
    var runs: Int
    var inFlight: Int
    var runSeconds: Double
    var executors: Int
    var cores: Int
    /// The operator settings given with `--setting` (the tree's others are the harness's defaults).
    var settings: [String: String] = [:]
    var loadAverageBefore: String
    var loadAverageAfter = ""
    var startToReadyEmptySeconds = 0.0
    var idle = MemorySample()
    var idleRequestsPerMinute = 0.0
    /// One per schedule, in the order they ran (`burst` first when both ran).
    var schedules: [ScheduleResult] = []
    var steady = MemorySample()
    var readyOMJobs = 0
    var startToReadySeconds = 0.0
    var withReadyOMJobs = MemorySample()

    var table: String {
        var lines: [String] = []
        lines.append(
            "omjob-bench: \(runs) runs, \(inFlight) in flight, pods run \(runSeconds) s, \(executors) executors, \(cores) cores"
        )
        if !settings.isEmpty {
            lines.append(
                "operator settings: "
                    + settings.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", "))
        }
        lines.append(
            "schedules: "
                + schedules.map {
                    $0.schedule.spreadSeconds > 0 ? "spread \(Self.number($0.schedule.spreadSeconds)) s" : "burst"
                }
                .joined(separator: ", "))
        lines.append("load average before \(loadAverageBefore), after \(loadAverageAfter)")
        lines.append("")
        lines.append("start to ready (no OMJobs)   " + Self.number(startToReadyEmptySeconds) + " s")
        lines.append(
            "API requests while idle      " + Self.number(idleRequestsPerMinute) + " per minute (no runs, tree ready)")
        lines.append("memory idle                  " + Self.memory(idle))
        for schedule in schedules {
            lines.append("")
            lines += schedule.lines()
        }
        lines.append("")
        lines.append("memory steady (after)        " + Self.memory(steady))
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
    func write(to path: String) throws -> String { try Self.writeJSON(self, to: path) }

    /// Writes `value` as sorted, indented JSON to `path` (creating the directory); returns the path.
    static func writeJSON(_ value: some Encodable, to path: String) throws -> String {
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(value).write(to: URL(fileURLWithPath: path))
        return path
    }
}
