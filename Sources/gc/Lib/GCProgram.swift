import ArgumentParser
import Shared

/// `omjob-gc`: TTL cleanup, CronOMJob history limits, stale-finalizer janitor.
public struct GCProgram: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "omjob-gc", abstract: "omjob-operator garbage collector process (started by omjob-supervisor).",
        discussion: Settings.helpText)

    public init() {}

    public func run() throws {
        let environment = ProcessEnvironment.current
        let (settings, cluster): (GCSettings, ClusterConfiguration)
        do {
            // Operator-wide settings first, as every role checks them (WorkerMain does it again later).
            _ = try OperatorConfig(environment: environment)
            (settings, cluster) = try GCWorker.settings(environment: environment)
        } catch {
            FileOutput.standardError("omjob-gc: \(error)\n")
            throw ExitCode(ConfigError.exitCode)
        }
        WorkerMain.run(role: GC.role) { session in
            GCWorker.attach(to: session, settings: settings, cluster: cluster, environment: environment)
        }
    }
}
