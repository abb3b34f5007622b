import ArgumentParser
import BrokerProtocol
import KubeAPI
import Runtime

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
            let settings = try RunSettings(environment: environment)
            let cluster = try ClusterConfiguration.load(environment: environment)
            let client = KubeClient(configuration: cluster, executor: session.loop.executor)
            WatcherDriver.attach(
                to: session, client: client, namespaces: session.config.watchNamespaces, settings: settings)
        }
    }
}
