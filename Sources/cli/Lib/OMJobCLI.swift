import ArgumentParser
import Foundation
import Synchronization

/// What a command needs from its surroundings, passed in so that tests run commands in-process.
public struct CLIContext: Sendable {
    public var terminal: Terminal
    public var environment: [String: String]
    /// The clock ages are computed against.
    public var now: @Sendable () -> Date

    public init(terminal: Terminal, environment: [String: String], now: @escaping @Sendable () -> Date = { Date() }) {
        self.terminal = terminal
        self.environment = environment
        self.now = now
    }
}

/// The exit status of a command run by `main`, handed from its task to the main thread.
private final class ResultBox: Sendable {
    let value = Mutex<Int32>(ExitStatus.failure.rawValue)
}

/// A leaf command: does its work and says how it ended.
protocol CLICommand: ParsableCommand {
    func execute(_ context: CLIContext) async throws -> ExitStatus
}

/// The two command lines of the `omjob` executable.
public enum OMJobCLI {
    /// `kubectl omjob …` (run as `kubectl-omjob`, which kubectl finds on PATH).
    public static func kubectl(_ arguments: [String], context: CLIContext) async -> Int32 {
        await run(KubectlOMJob.self, connectionFlagsAfterCommand(arguments), context: context)
    }

    /// kubectl accepts `-n X`, `--context X`, `-A` before the command (`kubectl omjob -n X list`);
    /// the parser wants them after it, so they are moved there.
    static func connectionFlagsAfterCommand(_ arguments: [String]) -> [String] {
        let withValue: Set<String> = ["-n", "--namespace", "--context", "--kubeconfig"]
        let alone: Set<String> = ["-A", "--all-namespaces"]
        var leading: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            let name = String(argument.split(separator: "=", maxSplits: 1).first ?? "")
            if withValue.contains(argument), index + 1 < arguments.count {
                leading += arguments[index...index + 1]
                index += 2
            } else if alone.contains(argument) || (argument.contains("=") && withValue.contains(name)) {
                leading.append(argument)
                index += 1
            } else {
                break
            }
        }
        guard !leading.isEmpty, index < arguments.count else { return arguments }
        return [arguments[index]] + leading + arguments[(index + 1)...]
    }

    /// `omjob ctl …`: the broker's control connection.
    public static func ctl(_ arguments: [String], context: CLIContext) async -> Int32 {
        await run(OMJobCtl.self, arguments, context: context)
    }

    /// Runs `kubectl` or `ctl` for the process (real stdout, stderr, environment) and exits with its code.
    public static func main(ctl: Bool, _ arguments: [String]) -> Never {
        let environment = ProcessInfo.processInfo.environment
        let context = CLIContext(terminal: .process(environment: environment), environment: environment)
        // The roles' `main` keeps the main thread for its loop; the command line does the same
        // for simplicity: it blocks here while the command runs on Swift's pool.
        let code = ResultBox()
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            let result =
                ctl ? await Self.ctl(arguments, context: context) : await Self.kubectl(arguments, context: context)
            code.value.withLock { $0 = result }
            done.signal()
        }
        done.wait()
        exit(code.value.withLock { $0 })
    }

    static func run<Root: ParsableCommand>(_ root: Root.Type, _ arguments: [String], context: CLIContext) async -> Int32
    {
        let terminal = context.terminal
        var command: any ParsableCommand
        do {
            command = try Root.parseAsRoot(arguments)
            // `help`, `--help` and a group without its subcommand "run" by throwing the help screen.
            if !(command is any CLICommand) { try command.run() }
        } catch {
            let message = Root.fullMessage(for: error)
            if Root.exitCode(for: error).isSuccess {
                terminal.line(message)
                return ExitStatus.success.rawValue
            }
            terminal.error(message)
            return ExitStatus.usage.rawValue
        }
        guard let leaf = command as? any CLICommand else { return ExitStatus.success.rawValue }
        do {
            return try await leaf.execute(context).rawValue
        } catch let error as CLIError {
            terminal.error("error: \(error.message)")
            return error.code.rawValue
        } catch let error as ValidationError {
            terminal.error("error: \(error.message)")
            return ExitStatus.usage.rawValue
        } catch {
            terminal.error("error: \(error)")
            return ExitStatus.failure.rawValue
        }
    }
}

/// `kubectl omjob`: OpenMetadata pipeline runs for people.
struct KubectlOMJob: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kubectl omjob",
        abstract: "See, follow and act on OpenMetadata pipeline runs (OMJob, CronOMJob).",
        discussion: """
            Exit codes: 0 done, 1 failed (API error, missing object, unreachable server), 2 bad command line;
            wait: 3 the run ended without meeting the condition, 4 timed out. See docs/cli.md.
            """,
        subcommands: [
            ListRuns.self, Describe.self, Logs.self, Wait.self, Kill.self, Rerun.self, Trigger.self,
            ReleaseFinalizers.self,
        ])
}

/// `omjob ctl`: the supervisor's control connection, for debugging inside the operator's container.
struct OMJobCtl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "omjob ctl",
        abstract: "Ask the running omjob-supervisor over its broker socket (no netcat needed).",
        discussion: "Exit codes: 0 answered, 1 no socket, refused or closed, 2 bad command line. See docs/cli.md.",
        subcommands: [CtlStatus.self, CtlInflight.self, CtlMetrics.self, CtlLogLevel.self])
}
