import ArgumentParser
import Shared
import Watcher

/// `omjob-watcher`: watches OMJobs and their pods and sends the decided commands to the broker.
struct Command: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "omjob-watcher", abstract: "omjob-operator watcher process (started by omjob-supervisor).",
        discussion: Settings.helpText)

    func run() throws {
        WorkerMain.run(role: Watcher.role) { session in
            // Placeholder until the watcher's informers land: it watches nothing yet, so it is
            // trivially synced; it does not claim the API server is reachable.
            session.report(WorkerConditions(synced: true))
        }
    }
}
Command.main()
