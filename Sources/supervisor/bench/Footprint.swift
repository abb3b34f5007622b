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
        ((try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8)) ?? "?").trimmingCharacters(
            in: .whitespacesAndNewlines)
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
        for p in processes {
            Swift.print(
                "  \(p.name.padding(toLength: 18, withPad: " ", startingAt: 0)) pid \(p.pid)  \(String(format: "%6.1f", Double(p.pssKiB) / 1024)) MB"
            )
        }
        let total = processes.reduce(0) { $0 + $1.pssKiB }
        Swift.print(
            "  total \(processes.count) processes: \(String(format: "%.1f", Double(total) / 1024)) MB (goal < 48 MB)")
    }
}

/// CPU time (user + system) a process has used, from `/proc/PID/stat`, in microseconds.
enum CPUTime {
    static func microseconds(_ pid: Int32) -> Double {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return 0 }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // Fields after the command: state is [0], utime [11], stime [12], in clock ticks.
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK))) * 1e6
    }
}

/// The 1-minute load average, to read latencies against.
enum LoadAverage {
    static func read() -> String {
        ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "?").split(separator: " ").first.map(
            String.init) ?? "?"
    }
}
