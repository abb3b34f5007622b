import ArgumentParser
import Executor
import Shared

/// `omjob-executor`: performs commands routed by the supervisor's broker.
struct Command: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "omjob-executor", abstract: "omjob-operator executor process (started by omjob-supervisor).",
        discussion: Settings.helpText)

    func run() throws {
        WorkerMain.run(role: Executor.role) { session in
            let cluster = try ClusterConfiguration.load(environment: ProcessEnvironment.current)
            let client = KubeClient(configuration: cluster, executor: session.loop.executor)
            ExecutorDriver.attach(to: session, client: client)
        }
    }
}
Command.main()
