import Logging

#if canImport(Glibc)
    import Glibc
    import BrokerProtocol
    import Runtime
    import UVLoop
#endif

/// `omjob-supervisor`'s start-up: every role's settings (each bad one named, exit
/// ``ConfigError/exitCode``), logs, the run directory, the child specs (every bad field named,
/// the same exit code), then the loop until the tree ends.
public enum SupervisorMain {
    public static func run() -> Never {
        SignalMask.unblockAll()
        BrokenPipe.ignore()
        let environment = ProcessEnvironment.current
        // Every role's settings, before any child starts: a bad one would only make that child
        // exit, so the pod ends here, once, naming each.
        let problems = Settings.problems(in: environment)
        guard problems.isEmpty else {
            FileOutput.standardError(Self.refusal(problems))
            exit(ConfigError.exitCode)
        }
        let config: OperatorConfig
        do {
            config = try OperatorConfig(environment: environment)
        } catch {
            FileOutput.standardError(Self.refusal([error]))
            exit(ConfigError.exitCode)
        }
        LoggingSystem.bootstrapJSON(role: Supervisor.role, level: config.logLevel)
        let logger = Logger(label: "omjob.supervisor")
        let specs = OperatorChildren.specs(config: config, shutdownTimeout: min(.seconds(5), config.shutdownGrace / 2))
        let specProblems = specs.flatMap { $0.problems() }
        guard specProblems.isEmpty else {
            for problem in specProblems {
                logger.critical("invalid child spec", metadata: [LogKeys.reason: "\(problem)"])
            }
            exit(ConfigError.exitCode)
        }
        do {
            let runDirectory = try RunDirectory.prepare(config.runDir)
            let loop = try EventLoop()
            let driver = SupervisorDriver(
                loop: loop, config: config, environment: environment, runDirectory: runDirectory,
                specs: specs, logger: logger)
            try driver.start()
            loop.run()
            exit(driver.exitCode ?? 1)
        } catch {
            logger.critical("supervisor failed to start", metadata: [LogKeys.reason: "\(error)"])
            exit(111)
        }
    }

    /// The text printed when start-up stops on bad settings: one line per setting, then the exit code.
    static func refusal(_ problems: [ConfigError]) -> String {
        let lines = problems.map { "omjob-supervisor: \($0)\n" }.joined()
        return lines
            + "omjob-supervisor: \(problems.count) bad setting(s); not starting (exit code \(ConfigError.exitCode))\n"
    }
}
