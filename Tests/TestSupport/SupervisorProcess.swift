import Foundation
import Spawn
import Synchronization

/// The real `omjob-supervisor` (or a launcher around it) started for one test, its stderr (the
/// JSON log lines of the whole tree) written to a file and read back line by line.
///
/// A file rather than a pipe with a `readabilityHandler`: that handler's dispatch source raced
/// with the closing of its descriptor and crashed the test process in libdispatch
/// (`_dispatch_event_loop_drain`) while other suites were opening sockets. Started with
/// `SpawnedProcess`, not Foundation's `Process`, whose `run()` over-reads memory once the test
/// process holds many descriptors (see `SpawnedProcess`); waits poll, never block a thread.
public final class SupervisorProcess: Sendable {
    private let process: SpawnedProcess
    private let log: LogFile

    /// Starts `executable` with `arguments` and exactly `environment`.
    public init(executable: String, arguments: [String] = [], environment: [String: String]) throws {
        log = try LogFile()
        process = try SpawnedProcess(
            executable: executable, arguments: arguments, environment: environment, stderr: .file(log.path))
    }

    public var pid: Int32 { process.pid }
    public var isRunning: Bool { process.isRunning }

    /// Every complete line so far.
    public var lines: [String] { log.lines() }
    /// Everything logged so far, for failure messages.
    public var text: String { lines.joined(separator: "\n") }

    /// The lines that are JSON objects, parsed.
    public var jsonLines: [[String: Any]] {
        lines.compactMap { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any] }
    }

    /// The health port from the supervisor's "supervisor listening" line, once it was logged.
    public var healthPort: Int? {
        jsonLines.lazy.filter { $0["message"] as? String == "supervisor listening" }
            .compactMap { ($0["health.port"] as? String).flatMap(Int.init) }.first
    }

    public func signal(_ signal: Int32) { process.signal(signal) }

    /// Waits for the process to exit; its status, or nil on timeout.
    public func waitExit(timeout: Double) -> Int32? { process.waitExit(timeout: timeout) }

    /// Ends the supervisor whatever state it is in: SIGTERM, then SIGKILL after `grace` seconds.
    public func stop(grace: Double = 10) {
        guard process.isRunning else { return }
        signal(SIGTERM)
        if waitExit(timeout: grace) == nil {
            signal(SIGKILL)
            _ = waitExit(timeout: 10)
        }
    }

    deinit { log.remove() }
}

/// The stderr file, read incrementally: each call reads only what was appended since the last.
private final class LogFile: Sendable {
    let path: String
    private let read = Mutex<(offset: UInt64, partial: Data, lines: [String])>((0, Data(), []))

    init() throws {
        var template = Array((NSTemporaryDirectory() + "/omjob-log-XXXXXX").utf8CString)
        let fd = mkstemp(&template)
        guard fd >= 0 else { throw CocoaError(.fileWriteUnknown) }
        close(fd)
        path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    func lines() -> [String] {
        read.withLock { state in
            guard let handle = FileHandle(forReadingAtPath: path) else { return state.lines }
            defer { try? handle.close() }
            try? handle.seek(toOffset: state.offset)
            let data = (try? handle.readToEnd()) ?? Data()
            state.offset += UInt64(data.count)
            state.partial.append(data)
            while let newline = state.partial.firstIndex(of: 0x0a) {
                state.lines.append(String(decoding: state.partial[state.partial.startIndex..<newline], as: UTF8.self))
                state.partial.removeSubrange(state.partial.startIndex...newline)
            }
            return state.lines
        }
    }

    func remove() { unlink(path) }
}
