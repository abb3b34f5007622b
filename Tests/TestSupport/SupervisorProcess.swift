import Foundation
import Synchronization

/// The real `omjob-supervisor` (or a launcher around it) started for one test, its stderr (the
/// JSON log lines of the whole tree) captured line by line.
///
/// Waits poll `isRunning` instead of calling `Process.waitUntilExit`, which has been seen to
/// never return on this platform after the child was already reaped.
public final class SupervisorProcess: Sendable {
    private let process: Process
    private let captured = Captured()

    /// Starts `executable` with `arguments` and exactly `environment`.
    public init(executable: String, arguments: [String] = [], environment: [String: String]) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        let pipe = Pipe()
        process.standardError = pipe
        process.standardOutput = FileHandle.nullDevice
        let captured = self.captured
        pipe.fileHandleForReading.readabilityHandler = { handle in
            let chunk = handle.availableData
            if chunk.isEmpty { handle.readabilityHandler = nil }
            captured.append(chunk)
        }
        try process.run()
    }

    public var pid: Int32 { process.processIdentifier }
    public var isRunning: Bool { process.isRunning }

    /// Every complete line so far.
    public var lines: [String] { captured.lines.withLock { $0 } }
    /// Everything logged so far, for failure messages.
    public var log: String { lines.joined(separator: "\n") }

    /// The lines that are JSON objects, parsed.
    public var jsonLines: [[String: Any]] {
        lines.compactMap { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any] }
    }

    /// The health port from the supervisor's "supervisor listening" line, once it was logged.
    public var healthPort: Int? {
        jsonLines.lazy.filter { $0["message"] as? String == "supervisor listening" }
            .compactMap { ($0["health.port"] as? String).flatMap(Int.init) }.first
    }

    public func signal(_ signal: Int32) { kill(pid, signal) }

    /// Waits for the process to exit; its status, or nil on timeout.
    public func waitExit(timeout: Double) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning {
            if Date() >= deadline { return nil }
            usleep(10_000)
        }
        return process.terminationStatus
    }

    /// Ends the supervisor whatever state it is in: SIGTERM, then SIGKILL after `grace` seconds.
    public func stop(grace: Double = 10) {
        guard process.isRunning else { return }
        signal(SIGTERM)
        if waitExit(timeout: grace) == nil {
            signal(SIGKILL)
            _ = waitExit(timeout: 10)
        }
    }
}

/// The captured stderr: bytes not yet ending a line, and complete lines.
private final class Captured: Sendable {
    let pending = Mutex<Data>(Data())
    let lines = Mutex<[String]>([])

    func append(_ chunk: Data) {
        let complete: [String] = pending.withLock { data in
            data.append(chunk)
            if chunk.isEmpty, !data.isEmpty {  // EOF: the last line had no newline
                defer { data.removeAll() }
                return [String(decoding: data, as: UTF8.self)]
            }
            var out: [String] = []
            while let newline = data.firstIndex(of: 0x0a) {
                out.append(String(decoding: data[data.startIndex..<newline], as: UTF8.self))
                data.removeSubrange(data.startIndex...newline)
            }
            return out
        }
        if !complete.isEmpty { lines.withLock { $0 += complete } }
    }
}
