import ArgumentParser
import Executor

/// `omjob-executor`: placeholder entry point until its issue lands.
struct Command: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "omjob-executor", abstract: "omjob-operator executor process.")
    func run() throws {
        print("omjob-executor: role \(Executor.role) not implemented yet")
    }
}
Command.main()
