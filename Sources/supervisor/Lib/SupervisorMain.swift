import Logging
import Shared

#if canImport(Glibc)
    import Glibc
#endif

/// `omjob-supervisor`'s start-up: configuration (exit 2 on a bad setting), logs, the run
/// directory, the child specs (every bad field named, exit 2), then the loop until the tree ends.
public enum SupervisorMain {
    public static func run() -> Never {
        SignalMask.unblockAll()
        BrokenPipe.ignore()
        let environment = ProcessEnvironment.current
        let config: OperatorConfig
        do {
            config = try OperatorConfig(environment: environment)
        } catch {
            FileOutput.standardError("omjob-supervisor: \(error)\n")
            exit(ConfigError.exitCode)
        }
        LoggingSystem.bootstrapJSON(role: Supervisor.role, level: config.logLevel)
        let logger = Logger(label: "omjob.supervisor")
        let specs = OperatorChildren.specs(config: config, shutdownTimeout: min(.seconds(5), config.shutdownGrace / 2))
        let problems = specs.flatMap { $0.problems() }
        guard problems.isEmpty else {
            for problem in problems { logger.critical("invalid child spec", metadata: [LogKeys.reason: "\(problem)"]) }
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
}
