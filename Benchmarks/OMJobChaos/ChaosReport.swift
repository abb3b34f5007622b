import BenchHarness
import Foundation

/// What a chaos run did and found, as printed.
struct ChaosReport {
    let runs: Int
    let seed: UInt64
    let endings: [Ending]
    let kills: Disruptor.Counts
    let faults: [String: Int]
    let deletions: Int
    let violations: [Verifier.Violation]
    let notes: [String]
    let seconds: Double
    let cpuSeconds: Double
    let peak: MemorySample
    let processesSeen: Int
    let replicas: Int
    let logLines: (String) -> [String]

    private var killLine: String {
        let targets: String = kills.byTarget.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(
            separator: ", ")
        let holders: String = replicas > 1 ? "; Lease holder changes: \(kills.leaderChanges)" : ""
        let statuses: String =
            kills.exitStatuses.isEmpty
            ? ""
            : " ("
                + kills.exitStatuses.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
                + ")"
        return
            "kills:       \(targets); supervisor exits restarted: \(kills.supervisorExits)\(statuses); main pods deleted by the user: \(deletions)\(holders)"
    }

    var text: String {
        let byEnding = Dictionary(grouping: endings, by: \.self).mapValues(\.count)
        var lines = [
            "omjob-chaos: \(runs) runs, seed \(seed), \(replicas) replica(s), \(String(format: "%.1f", seconds)) s, load average \(MachineLoad.loadAverage)",
            "endings:     " + Ending.allCases.map { "\($0.rawValue) \(byEnding[$0] ?? 0)" }.joined(separator: ", "),
            killLine,
            "faults:      "
                + (faults.isEmpty
                    ? "none"
                    : faults.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")),
            String(
                format: "trees:       %.2f CPU s, %d processes seen, peak PSS %.1f MB (RSS %.1f MB)", cpuSeconds,
                processesSeen, peak.pssMB, peak.rssMB),
        ]
        lines += notes.map { "note:        \($0)" }
        lines.append("violations:  \(violations.count)")
        for violation in violations.prefix(20) {
            lines.append("  - \(violation)")
            lines += logLines(violation.omJob).map { "      \($0.prefix(400))" }
        }
        if violations.count > 20 { lines.append("  … \(violations.count - 20) more") }
        return lines.joined(separator: "\n")
    }
}
