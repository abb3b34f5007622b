import ArgumentParser
import Supervisor

/// `omjob-supervisor`: placeholder entry point until its issue lands.
struct Command: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "omjob-supervisor", abstract: "omjob-operator supervisor process.")
    func run() throws {
        print("omjob-supervisor: role \(Supervisor.role) not implemented yet")
    }
}
Command.main()
