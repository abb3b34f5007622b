import ArgumentParser
import Shared

/// `omjob-watcher`: watches OMJobs and their pods and sends the decided commands to the broker.
public struct WatcherProgram: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "omjob-watcher", abstract: "omjob-operator watcher process (started by omjob-supervisor).",
        discussion: Settings.helpText)

    public init() {}

    public func run() throws {
        Allocator.useFixedThresholds()
        WorkerMain.run(role: Watcher.role) { session in
            let environment = ProcessEnvironment.current
            let settings: RunSettings
            do { settings = try RunSettings(environment: environment) } catch let error as RunSettingsError {
                throw ConfigError(
                    setting: error.name, value: error.value, expected: "a whole number of seconds (or a count)")
            }
            let cluster = try ClusterConfiguration.load(environment: environment)
            let client = KubeClient(configuration: cluster, executor: session.loop.executor)
            WatcherDriver.attach(
                to: session, client: client, namespaces: session.config.watchNamespaces, settings: settings)
        }
    }
}
