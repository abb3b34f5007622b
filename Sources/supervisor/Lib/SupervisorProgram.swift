import ArgumentParser
import Shared

/// `omjob-supervisor`: the operator pod's PID 1 (or tini's child): process tree, broker, probes.
public struct SupervisorProgram: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "omjob-supervisor",
        abstract:
            "omjob-operator supervisor: runs the watcher, executors and gc, routes their commands, serves probes.",
        discussion: Settings.helpText, version: OperatorVersion.current)

    public init() {}

    public func run() throws {
        Allocator.useFixedThresholds()
        SupervisorMain.run()
    }
}
