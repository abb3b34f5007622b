import ArgumentParser
import GC
import Shared

/// `omjob-gc`: TTL cleanup, CronOMJob history limits, stale-finalizer janitor.
struct Command: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "omjob-gc", abstract: "omjob-operator garbage collector process (started by omjob-supervisor).",
        discussion: Settings.helpText)

    func run() throws {
        WorkerMain.run(role: GC.role) { _ in }
    }
}
Command.main()
