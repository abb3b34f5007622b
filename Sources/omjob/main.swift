import Executor
import Foundation
import GC
import OMJobCLI
import Supervisor
import Watcher

// `omjob`: the four roles in one executable, chosen by the name it is run as. The image links
// omjob-supervisor, omjob-watcher, omjob-executor and omjob-gc to it, so the five processes of
// one pod map one copy of the statically linked Swift runtime and Foundation (their file pages
// are shared, and counted once in the pod's memory) and the image holds it once, not four times.
// `omjob ROLE [arguments]` does the same for a caller that cannot choose the name.
// Two more personalities are for people: `kubectl-omjob` (a link kubectl finds on PATH, so
// `kubectl omjob …` works) and `omjob ctl …` (the broker's control connection, for debugging
// inside the operator's container without netcat).

let roles = ["omjob-supervisor", "omjob-watcher", "omjob-executor", "omjob-gc"]

func runRole(_ role: String, _ arguments: [String]) -> Never {
    // `main` exits on its own on a parse or run error, and returns when the role's run ended well.
    switch role {
    case "omjob-supervisor":
        SupervisorProgram.main(arguments)
        exit(0)
    case "omjob-watcher":
        WatcherProgram.main(arguments)
        exit(0)
    case "omjob-executor":
        ExecutorProgram.main(arguments)
        exit(0)
    case "omjob-gc":
        GCProgram.main(arguments)
        exit(0)
    default: break
    }
    FileHandle.standardError.write(
        Data(
            """
            usage: omjob ROLE [arguments], or run as one of its links: \(roles.joined(separator: ", ")), kubectl-omjob
            ROLE is supervisor, watcher, executor, gc, ctl or kubectl-omjob; got \(role.isEmpty ? "nothing" : "'\(role)'")

            """.utf8))
    exit(2)
}

let invokedAs = URL(fileURLWithPath: CommandLine.arguments.first ?? "").lastPathComponent
let arguments = Array(CommandLine.arguments.dropFirst())
if invokedAs == "kubectl-omjob" {
    OMJobCLI.main(ctl: false, arguments)
} else if roles.contains(invokedAs) {
    runRole(invokedAs, arguments)
} else if arguments.first == "ctl" || arguments.first == "kubectl-omjob" {
    OMJobCLI.main(ctl: arguments.first == "ctl", Array(arguments.dropFirst()))
} else {
    runRole(arguments.first.map { "omjob-" + $0 } ?? "", Array(arguments.dropFirst()))
}
