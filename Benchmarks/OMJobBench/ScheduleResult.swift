import BenchHarness
import Foundation

/// The figures of one schedule of endings (a burst, or endings spread over time), for the
/// operator and for the floor on exactly the same schedule, printed under a heading that
/// names the mode so that no figure can be read as the other's.
struct ScheduleResult: Encodable {
    /// The schedule measured (its `mode` names it in the table and the JSON).
    var schedule: RunSchedule
    /// When the operator's main pods ended (kubesim's records).
    var endings = EndingPace(endings: [])
    var floorEndings = EndingPace(endings: [])
    var exitStart = LatencySummary([])
    var floorExitStart = LatencySummary([])
    var ratioToFloorP50 = 0.0
    var ratioToFloorP99 = 0.0
    var wallSeconds = 0.0
    var runsPerSecond = 0.0
    var floorRunsPerSecond = 0.0
    var requestsPerRun: [String: Double] = [:]
    var requestsPerRunByResource: [String: Double] = [:]
    var cpuSecondsPer1000Runs = 0.0
    var processesSeen = 0
    var peak = MemorySample()

    init(_ schedule: RunSchedule) {
        self.schedule = schedule
    }

    /// Sets the floor's figures and the ratios to them.
    mutating func compare(toFloor latency: LatencySummary, endings: EndingPace, runsPerSecond: Double) {
        floorExitStart = latency
        floorEndings = endings
        floorRunsPerSecond = runsPerSecond
        ratioToFloorP50 = latency.p50 > 0 ? exitStart.p50 / latency.p50 : 0
        ratioToFloorP99 = latency.p99 > 0 ? exitStart.p99 / latency.p99 : 0
    }

    func lines() -> [String] {
        let number = BenchResult.number
        let verbs = requestsPerRun.sorted { $0.key < $1.key }.map { "\($0.key) " + number($0.value) }.joined(
            separator: ", ")
        let writes = requestsPerRun.filter { !["get", "list", "watch"].contains($0.key) }.values.reduce(0, +)
        return [
            heading,
            "main pod endings             " + Self.pace(endings) + "; floor " + Self.pace(floorEndings),
            "exit-handler start latency   " + BenchResult.latency(exitStart),
            "floor (watch + create)       " + BenchResult.latency(floorExitStart),
            "ratio to floor               p50 " + number(ratioToFloorP50) + "  p99 " + number(ratioToFloorP99),
            "throughput                   " + number(runsPerSecond) + " runs/s (" + number(wallSeconds)
                + " s wall; floor "
                + number(floorRunsPerSecond) + " runs/s)"
                + (schedule.spreadSeconds > 0 ? "; bounded by the spread" : ""),
            "API requests per run         " + number(requestsPerRun.values.reduce(0, +)) + ": " + verbs,
            "API writes per run           " + number(writes),
            "  by verb and resource       "
                + requestsPerRunByResource.sorted { $0.key < $1.key }
                .map { "\($0.key) " + number($0.value) }.joined(separator: ", "),
            "CPU per 1,000 runs           " + number(cpuSecondsPer1000Runs)
                + " s (whole tree, \(processesSeen) processes seen)",
            "memory peak                  " + BenchResult.memory(peak),
        ]
    }

    private var heading: String {
        let base = BenchResult.number(schedule.runSeconds)
        guard schedule.spreadSeconds > 0 else {
            return "== burst: every main pod runs \(base) s, so the runs in flight end together"
        }
        return
            "== spread: main pod i runs \(base) s + \(BenchResult.number(schedule.leadSeconds)) s + \(BenchResult.number(schedule.spreadSeconds)) s × u(i), "
            + "u(i) in [0, 1), so the runs in flight end over time"
    }

    static func pace(_ pace: EndingPace) -> String {
        "\(pace.count) over \(BenchResult.number(pace.spanSeconds)) s (\(BenchResult.number(pace.perSecond))/s; peak \(pace.peakInWindow) in "
            + "\(Int(pace.window * 1000)) ms; \(pace.duringFirstWave) while the first wave was created)"
    }
}
