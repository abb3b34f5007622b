import KubeAPI

/// The exit codes of `kubectl omjob` and `omjob ctl` (docs/cli.md lists them).
public enum ExitStatus: Int32, Sendable {
    /// Done; for `wait`, the condition holds.
    case success = 0
    /// The command failed: an API error, a missing object, an unreachable server or socket.
    case failure = 1
    /// The command line is wrong (unknown flag, missing argument, bad value).
    case usage = 2
    /// `wait`: the run ended, or was deleted, without meeting the condition (Failed for `--for=succeeded`).
    case conditionNotMet = 3
    /// `wait`: `--timeout` passed first.
    case timedOut = 4
}

/// A failure to report to the person at the terminal: one sentence naming the object and the
/// API server's reason, and the exit code.
public struct CLIError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var code: ExitStatus

    public init(_ message: String, code: ExitStatus = .failure) {
        self.message = message
        self.code = code
    }

    public var description: String { message }

    /// An API error while doing `action` to `object` (e.g. "omjob default/x"): the server's reason and message.
    public static func api(_ error: KubeError, _ action: String, _ object: String) -> CLIError {
        switch error {
        case .api(let status, _):
            let reason = status.reason ?? "Unknown"
            let message = status.message.map { ": \($0)" } ?? ""
            let causes = error.causes.compactMap { cause in cause.message.map { "\(cause.field ?? "?"): \($0)" } }
            let detail = causes.isEmpty ? "" : " (\(causes.joined(separator: "; ")))"
            return CLIError("cannot \(action) \(object): \(reason) (\(status.code ?? 0))\(message)\(detail)")
        case .transport(let transport):
            return CLIError("cannot \(action) \(object): the API server is unreachable: \(transport)")
        case .decoding(let text):
            return CLIError("cannot \(action) \(object): unexpected answer: \(text)")
        case .configuration(let setting, let message):
            return CLIError("cannot \(action) \(object): \(setting): \(message)")
        }
    }
}
