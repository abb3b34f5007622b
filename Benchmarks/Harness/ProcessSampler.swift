import Foundation
import Synchronization

/// Memory of a set of processes at one moment, summed.
public struct MemorySample: Sendable, Codable {
    public var pssKB: Int = 0
    public var rssKB: Int = 0
    public var processes: Int = 0
    public init() {}
    public var pssMB: Double { Double(pssKB) / 1024 }
    public var rssMB: Double { Double(rssKB) / 1024 }
}

/// Reads /proc: PSS and RSS from `smaps_rollup`, CPU time from `stat`. CPU is kept per process
/// (pid + start time), so processes that were killed or restarted still count with the last
/// value seen: sample often enough (every 100 ms) and little is lost.
public final class ProcessSampler: Sendable {
    private let cpuTicks = Mutex<[String: (command: String, ticks: Int)]>([:])
    private let peak = Mutex(MemorySample())
    private static let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))

    public init() {}

    /// Samples `pids` now; updates the peak and each process's CPU time.
    @discardableResult
    public func sample(_ pids: [pid_t]) -> MemorySample {
        var memory = MemorySample()
        for pid in pids {
            guard let rollup = try? String(contentsOfFile: "/proc/\(pid)/smaps_rollup", encoding: .utf8) else {
                continue
            }
            memory.pssKB += Self.field("Pss:", in: rollup)
            memory.rssKB += Self.field("Rss:", in: rollup)
            memory.processes += 1
            if let (start, ticks) = Self.cpu(pid) {
                let key = "\(pid)/\(start)"
                let command = cpuTicks.withLock { $0[key]?.command } ?? Self.command(pid)
                cpuTicks.withLock { $0[key] = (command, ticks) }
            }
        }
        peak.withLock { if memory.pssKB > $0.pssKB { $0 = memory } }
        return memory
    }

    /// Seconds of CPU (user + system) of every process ever sampled.
    public var cpuSeconds: Double {
        Double(cpuTicks.withLock { $0.values.reduce(0) { $0 + $1.ticks } }) / Self.ticksPerSecond
    }
    /// The same, by command name (`omjob-watcher`, `omjob-executor`…; processes of one name summed).
    public var cpuSecondsByCommand: [String: Double] {
        cpuTicks.withLock { ticks in
            ticks.values.reduce(into: [:]) { $0[$1.command, default: 0] += Double($1.ticks) / Self.ticksPerSecond }
        }
    }
    /// Distinct processes ever sampled (restarts included).
    public var processesSeen: Int { cpuTicks.withLock { $0.count } }
    /// The sample with the highest PSS so far.
    public var peakSample: MemorySample { peak.withLock { $0 } }
    public func resetPeak() { peak.withLock { $0 = MemorySample() } }

    static func field(_ name: String, in text: String) -> Int {
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(name) }) else { return 0 }
        return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") ?? 0
    }

    /// The fields of /proc/<pid>/stat after the command (which may hold spaces).
    static func statFields(_ pid: pid_t) -> [Substring]? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = text.lastIndex(of: ")")
        else { return nil }
        return text[text.index(after: close)...].split(separator: " ")
    }

    /// (start time, utime + stime) in clock ticks. Fields after the command: 0 state, 1 ppid,
    /// 11 utime, 12 stime, 19 starttime.
    static func cpu(_ pid: pid_t) -> (String, Int)? {
        guard let fields = statFields(pid), fields.count > 19 else { return nil }
        return (String(fields[19]), (Int(fields[11]) ?? 0) + (Int(fields[12]) ?? 0))
    }

    static func isZombie(_ pid: pid_t) -> Bool { statFields(pid)?.first == "Z" }

    /// Live (non-zombie) children of `parent`, from a scan of /proc.
    public static func children(of parent: pid_t) -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { pid_t($0) }.filter { pid in
            guard let fields = statFields(pid), fields.count > 1 else { return false }
            return fields[1] == "\(parent)" && fields[0] != "Z"
        }.sorted()
    }

    /// The process's command name (the kernel keeps 15 bytes of it: `omjob-superviso`).
    public static func command(_ pid: pid_t) -> String {
        ((try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8)) ?? "").trimmingCharacters(
            in: .whitespacesAndNewlines)
    }
}
