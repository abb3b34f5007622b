import ArgumentParser
import Executor
import Shared

/// `omjob-executor`: performs commands routed by the supervisor's broker.
struct Command: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "omjob-executor", abstract: "omjob-operator executor process (started by omjob-supervisor).",
        discussion: Settings.helpText)

    func run() throws {
        WorkerMain.run(role: Executor.role) { session in PlaceholderExecutor.attach(to: session) }
    }
}
Command.main()
