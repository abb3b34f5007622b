import ArgumentParser
import Foundation
import KubeJSON
import Logging
import Shared

#if canImport(Glibc)
    import Glibc
#endif

/// Where the supervisor's broker listens and how to talk to it: `--socket`, `--raw`, `-o`.
struct CtlOptions: ParsableArguments {
    @Option(
        help:
            "The broker socket (default: $OMJOB_BROKER_SOCKET, $OMJOB_RUN_DIR/broker.sock, $OMJOB_RUN_DIR/omjob-<uid>/broker.sock, /tmp/omjob-<uid>-*/broker.sock)."
    )
    var socket: String?

    @Flag(help: "Print every frame as it crosses the socket (> sent, < received).") var raw = false

    @Option(name: [.short, .long], help: "json: the broker's answer as is.") var output: CtlOutput?

    /// The socket to use: the first candidate that exists.
    func socketPath(environment: [String: String]) throws -> String {
        if let socket { return socket }
        let candidates = Self.candidates(environment: environment, uid: getuid())
        if let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) { return found }
        throw CLIError(
            "no broker socket found (looked at \(candidates.isEmpty ? "nothing" : candidates.joined(separator: ", "))): "
                + "is omjob-supervisor running as this user? Pass --socket PATH or set OMJOB_RUN_DIR")
    }

    static func candidates(environment: [String: String], uid: uid_t) -> [String] {
        var paths: [String] = []
        if let socket = environment[Settings.brokerSocket.name], !socket.isEmpty { paths.append(socket) }
        if let directory = environment[Settings.runDir.name], !directory.isEmpty {
            paths += ["\(directory)/broker.sock", "\(directory)/omjob-\(uid)/broker.sock"]
        }
        // The supervisor's default directory, /tmp/omjob-<uid>-<pid>: newest first.
        let prefix = "omjob-\(uid)-"
        let tmp = (try? FileManager.default.contentsOfDirectory(atPath: "/tmp")) ?? []
        let defaults = tmp.filter { $0.hasPrefix(prefix) }
            .map { "/tmp/\($0)/broker.sock" }
            .sorted { (Self.modified($0) ?? .distantPast) > (Self.modified($1) ?? .distantPast) }
        return paths + defaults
    }

    private static func modified(_ path: String) -> Date? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
    }
}

enum CtlOutput: String, ExpressibleByArgument, CaseIterable { case json }

/// One control connection: `hello` as role `ctl`, then requests and their answers, in order.
final class BrokerSession {
    private let fd: Int32
    private var decoder = FrameDecoder()
    private var ready: [[UInt8]] = []
    private let raw: Terminal?
    let path: String

    init(path: String, raw: Terminal?, timeoutSeconds: Int = 10) throws {
        self.path = path
        self.raw = raw
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            throw CLIError("socket path too long: \(path)")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            buffer.copyBytes(from: bytes)
            buffer[bytes.count] = 0
        }
        fd = Glibc.socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw CLIError("cannot open a socket: \(String(cString: strerror(errno)))") }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard connected == 0 else {
            let reason = String(cString: strerror(errno))
            Glibc.close(fd)
            throw CLIError("cannot connect to the broker at \(path): \(reason)")
        }
    }

    deinit { Glibc.close(fd) }

    /// Sends `hello` and reads `welcome`; returns the supervisor's version.
    func greet() throws -> String {
        try send(.hello(Hello(role: "ctl", pid: getpid())))
        guard case .welcome(let version) = try receive() else {
            throw CLIError("the broker at \(path) did not answer hello with welcome")
        }
        return version
    }

    func send(_ message: IPCMessage) throws {
        let frame = message.frame()
        if let raw { raw.write(Self.show(frame, direction: ">")) }
        var offset = 0
        while offset < frame.count {
            let written = frame[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if written < 0, errno == EINTR { continue }
            guard written > 0 else {
                throw CLIError("the broker at \(path) closed the connection: \(String(cString: strerror(errno)))")
            }
            offset += written
        }
    }

    /// The next message; an `error` message from the broker is thrown.
    func receive() throws -> IPCMessage {
        while ready.isEmpty {
            var buffer = [UInt8](repeating: 0, count: 65536)
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            if count < 0, errno == EAGAIN || errno == EWOULDBLOCK {
                throw CLIError("the broker at \(path) did not answer within 10 s")
            }
            guard count > 0 else { throw CLIError("the broker at \(path) closed the connection without an answer") }
            do {
                ready += try decoder.feed(buffer[..<count])
            } catch {
                throw CLIError("the broker at \(path) sent a bad frame: \(error)")
            }
        }
        let payload = ready.removeFirst()
        if let raw { raw.write(Self.show(FrameCodec.encode(payload), direction: "<")) }
        let message: IPCMessage
        do { message = try IPCMessage(payload: payload) } catch {
            throw CLIError("the broker at \(path) sent a bad message: \(error)")
        }
        if case .error(let reason) = message { throw CLIError("the broker at \(path) refused: \(reason)") }
        return message
    }

    /// A frame as two lines, each prefixed with the direction it went.
    static func show(_ frame: [UInt8], direction: String) -> String {
        String(decoding: frame, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            .map { "\(direction) \($0)\n" }.joined()
    }

    /// Asks `request`; returns the reply's body.
    func ask(_ request: CtlRequest) throws -> JSONValue {
        try send(.ctl(request))
        while true {
            if case .ctlReply(let body) = try receive() { return body }
        }
    }
}

/// The part every ctl subcommand shares: connect, greet, run `body`.
protocol CtlCommand: CLICommand {
    var ctl: CtlOptions { get }
    func talk(_ session: BrokerSession, _ context: CLIContext) throws -> ExitStatus
}

extension CtlCommand {
    func execute(_ context: CLIContext) async throws -> ExitStatus {
        let path = try ctl.socketPath(environment: context.environment)
        let session = try BrokerSession(path: path, raw: ctl.raw ? context.terminal : nil)
        _ = try session.greet()
        return try talk(session, context)
    }
}

struct CtlStatus: CtlCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "The process tree: children, pids, restarts, readiness problems.")
    @OptionGroup var ctl: CtlOptions

    func talk(_ session: BrokerSession, _ context: CLIContext) throws -> ExitStatus {
        let body = try session.ask(.status)
        let terminal = context.terminal
        if ctl.output == .json {
            terminal.write(MachineFormat.json.render(body))
            return .success
        }
        if ctl.raw { return .success }
        var table = Table(header: ["CHILD", "PID", "RESTARTS", "LAST EXIT"])
        for child in body["children"]?.arrayValue ?? [] {
            let pid = child["pid"]?.intValue.map(String.init) ?? "-"
            let restarts = child["restarts"]?.intValue ?? 0
            table.add([
                .init(child["child"]?.stringValue ?? "?"), .init(pid, pid == "-" ? .red : nil),
                .init(String(restarts), restarts > 0 ? .yellow : nil), .init(child["lastExit"]?.stringValue ?? "-"),
            ])
        }
        terminal.write(table.render(on: terminal))
        let problems = body["problems"]?.arrayValue?.compactMap(\.stringValue) ?? []
        terminal.line(
            "routing: " + (body["routing"]?.boolValue == true ? "yes" : terminal.paint("no (shutting down)", .yellow)))
        terminal.line(
            "ready: "
                + (problems.isEmpty
                    ? terminal.paint("yes", .green) : terminal.paint("no: " + problems.joined(separator: "; "), .red)))
        return .success
    }
}

struct CtlInflight: CtlCommand {
    static let configuration = CommandConfiguration(
        commandName: "inflight", abstract: "Commands the broker holds: waiting or with an executor.")
    @OptionGroup var ctl: CtlOptions

    func talk(_ session: BrokerSession, _ context: CLIContext) throws -> ExitStatus {
        let body = try session.ask(.inflight)
        let terminal = context.terminal
        if ctl.output == .json {
            terminal.write(MachineFormat.json.render(body))
            return .success
        }
        if ctl.raw { return .success }
        let entries = body.arrayValue ?? []
        guard !entries.isEmpty else {
            terminal.line("no commands in flight")
            return .success
        }
        var table = Table(header: ["ID", "KEY", "EXECUTOR PID"])
        for entry in entries {
            table.add([
                .init(entry["id"]?.stringValue ?? "?"), .init(entry["key"]?.stringValue ?? "?"),
                .init(entry["executor"]?.intValue.map(String.init) ?? "waiting"),
            ])
        }
        terminal.write(table.render(on: terminal))
        return .success
    }
}

struct CtlMetrics: CtlCommand {
    static let configuration = CommandConfiguration(
        commandName: "metrics", abstract: "The Prometheus text of /metrics, from the broker.")
    @OptionGroup var ctl: CtlOptions

    func talk(_ session: BrokerSession, _ context: CLIContext) throws -> ExitStatus {
        let body = try session.ask(.metrics)
        if ctl.output == .json {
            context.terminal.write(MachineFormat.json.render(body))
        } else if !ctl.raw {
            context.terminal.write(body.stringValue ?? "")
        }
        return .success
    }
}

struct CtlLogLevel: CtlCommand {
    static let configuration = CommandConfiguration(
        commandName: "log-level", abstract: "Change the log level of every process of the tree.")
    @OptionGroup var ctl: CtlOptions
    @Argument(help: "TRACE, DEBUG, INFO, WARN or ERROR.") var level: String

    func validate() throws {
        guard Logger.Level(operatorName: level) != nil else {
            throw ValidationError("unknown log level \"\(level)\": use TRACE, DEBUG, INFO, WARN or ERROR")
        }
    }

    func talk(_ session: BrokerSession, _ context: CLIContext) throws -> ExitStatus {
        let name = level.uppercased()
        try session.send(.logLevel(name))
        // The broker answers nothing to log-level; a status request after it returns once the
        // change went out to the workers (one connection is handled in order).
        _ = try session.ask(.status)
        if !ctl.raw && ctl.output == nil { context.terminal.line("log level of every process set to \(name)") }
        return .success
    }
}
