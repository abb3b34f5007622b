import ArgumentParser
import KubeSim

struct Command: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "kubesim", abstract: "Kubernetes API server simulator.")
    func run() throws { print("kubesim: not implemented yet") }
}
Command.main()
