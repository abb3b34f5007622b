import ArgumentParser
import Watcher

/// `omjob-watcher`: placeholder entry point until its issue lands.
struct Command: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "omjob-watcher", abstract: "omjob-operator watcher process.")
    func run() throws {
        print("omjob-watcher: role \(Watcher.role) not implemented yet")
    }
}
Command.main()
