import Foundation

/// Proportional set size of a process tree: what the pod's memory accounting sees, shared
/// library pages divided among the processes that map them.
struct Footprint {
    var processes: [(pid: Int32, name: String, pssKiB: Int)]

    static func measure(root: Int32) -> Footprint {
        let pids = [root] + children(of: root)
        return Footprint(processes: pids.map { ($0, name(of: $0), pss(of: $0)) })
    }

    static func children(of parent: Int32) -> [Int32] {
        let text = (try? String(contentsOfFile: "/proc/\(parent)/task/\(parent)/children", encoding: .utf8)) ?? ""
        return text.split(separator: " ").compactMap { Int32($0) }
    }

    static func name(of pid: Int32) -> String {
        ((try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8)) ?? "?").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func pss(of pid: Int32) -> Int {
        let text = (try? String(contentsOfFile: "/proc/\(pid)/smaps_rollup", encoding: .utf8)) ?? ""
        for line in text.split(separator: "\n") where line.hasPrefix("Pss:") {
            return Int(line.split(separator: " ", omittingEmptySubsequences: true)[1]) ?? 0
        }
        return 0
    }

    func print() {
        Swift.print("idle tree footprint (PSS from /proc/PID/smaps_rollup):")
        for p in processes { Swift.print("  \(p.name.padding(toLength: 18, withPad: " ", startingAt: 0)) pid \(p.pid)  \(String(format: "%6.1f", Double(p.pssKiB) / 1024)) MB") }
        let total = processes.reduce(0) { $0 + $1.pssKiB }
        Swift.print("  total \(processes.count) processes: \(String(format: "%.1f", Double(total) / 1024)) MB (goal < 48 MB)")
    }
}
