import Logging

#if canImport(Glibc)
    import Glibc
    import KubeAPI
    import Runtime
    import UVLoop
#endif

/// The start-up every worker role shares, so each `main.swift` stays a few lines: read the
/// configuration (exit ``ConfigError/exitCode`` on a bad setting), JSON logs, parent-death signal, the loop, the broker
/// connection, SIGTERM/SIGINT/SIGHUP, and the exit code.
public enum WorkerMain {
    /// Runs a worker of `role` until the broker asks it to stop, its socket closes, or SIGTERM.
    /// `setUp` attaches the role's logic to the session before the conversation starts.
    public static func run(role: String, setUp: (WorkerSession) throws -> Void) -> Never {
        SignalMask.unblockAll()
        BrokenPipe.ignore()
        let environment = ProcessEnvironment.current
        ParentDeath.install(environment: environment)
        let config: OperatorConfig
        do {
            config = try OperatorConfig(environment: environment)
        } catch {
            FileOutput.standardError("omjob-\(role): \(error)\n")
            exit(ConfigError.exitCode)
        }
        LoggingSystem.bootstrapJSON(role: role, level: config.logLevel)
        let logger = Logger(label: "omjob.\(role)")
        guard let socket = config.brokerSocket else {
            logger.critical("OMJOB_BROKER_SOCKET is not set: workers are started by omjob-supervisor")
            exit(100)
        }
        do {
            let loop = try EventLoop()
            let session = WorkerSession(loop: loop, role: role, config: config, socketPath: socket, logger: logger)
            try setUp(session)
            try session.start()
            loop.run()
            exit(session.exitCode)
        } catch {
            logger.critical("worker failed to start", metadata: [LogKeys.reason: "\(error)"])
            exit(isBadSetting(error) ? ConfigError.exitCode : 111)
        }
    }
}

/// A setting (or the kubeconfig it points to) is wrong: exit ``ConfigError/exitCode``, which the
/// supervisor never restarts.
private func isBadSetting(_ error: any Error) -> Bool {
    if error is ConfigError { return true }
    if case .configuration? = error as? KubeError { return true }
    return false
}

/// Reads the process environment once, as a dictionary.
public enum ProcessEnvironment {
    public static var current: [String: String] {
        var result: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let pair = String(cString: entry)
            if let eq = pair.firstIndex(of: "=") {
                result[String(pair[..<eq])] = String(pair[pair.index(after: eq)...])
            }
            pointer += 1
        }
        return result
    }
}

/// Unbuffered writes for messages printed before logging exists.
public enum FileOutput {
    public static func standardError(_ text: String) {
        var text = text
        text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    }
}
