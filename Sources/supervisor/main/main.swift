import ArgumentParser
import Shared
import Supervisor

/// `omjob-supervisor`: the operator pod's PID 1 (or tini's child): process tree, broker, probes.
struct Command: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "omjob-supervisor",
        abstract: "omjob-operator supervisor: runs the watcher, executors and gc, routes their commands, serves probes.",
        discussion: Settings.helpText, version: OperatorVersion.current)

    func run() throws {
        SupervisorMain.run()
    }
}
Command.main()
