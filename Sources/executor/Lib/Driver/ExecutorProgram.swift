import ArgumentParser
import BrokerProtocol
import KubeAPI
import Runtime

/// `omjob-executor`: performs commands routed by the supervisor's broker.
public struct ExecutorProgram: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "omjob-executor", abstract: "omjob-operator executor process (started by omjob-supervisor).",
        discussion: Settings.helpText)

    public init() {}

    public func run() throws {
        Allocator.useFixedThresholds()
        WorkerMain.run(role: Executor.role) { session in
            let cluster = try ClusterConfiguration.load(environment: ProcessEnvironment.current)
            let client = KubeClient(configuration: cluster, executor: session.loop.executor)
            ExecutorDriver.attach(to: session, client: client)
        }
    }
}
