import Runtime

/// How a child process ended, as libuv's exit callback reports it.
public enum ChildExitStatus: Equatable, Sendable, CustomStringConvertible {
    case exited(Int32)
    case signaled(Int32)
    /// The program could not be started at all (uv_spawn failed); treated like s6's 111.
    case spawnFailed(String)

    /// s6's exit-code conventions (s6-supervise): 100 (``ConfigError/exitCode``, what every
    /// worker exits with on a bad setting) is a usage or configuration error and 125 a permanent
    /// failure; restarting cannot help either, so they are never restarted.
    public var forbidsRestart: Bool {
        switch self {
        case .exited(ConfigError.exitCode), .exited(125): return true
        default: return false
        }
    }

    /// The child stopped on a bad setting.
    public var isConfigurationError: Bool { self == .exited(ConfigError.exitCode) }

    /// A clean exit (code 0).
    public var isNormal: Bool { self == .exited(0) }

    public var description: String {
        switch self {
        case .exited(0): return "exited with code 0"
        case .exited(100): return "exited with code 100 (usage or configuration error)"
        case .exited(111): return "exited with code 111 (system call failed)"
        case .exited(125): return "exited with code 125 (permanent failure)"
        case .exited(let code): return "exited with code \(code)"
        case .signaled(let signal): return "killed by signal \(signal)"
        case .spawnFailed(let reason): return "could not be started: \(reason)"
        }
    }
}
