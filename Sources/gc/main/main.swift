import ArgumentParser
import GC

/// `omjob-gc`: placeholder entry point until its issue lands.
struct Command: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "omjob-gc", abstract: "omjob-operator gc process.")
    func run() throws {
        print("omjob-gc: role \(GC.role) not implemented yet")
    }
}
Command.main()
