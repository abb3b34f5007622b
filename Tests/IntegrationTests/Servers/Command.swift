import Foundation
import Spawn

/// Runs a helper program (the control-plane scripts, kubectl) to completion. Output goes to
/// files, not pipes, so a chatty program can never block on a full pipe.
enum Command {
    /// What a finished command printed.
    struct Output {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// The command runs under `bash -c`, which writes its exit status to a file that is polled:
    /// `Process.waitUntilExit` never returned for start.sh here (a script leaving daemons behind),
    /// though the script had exited. The poll sleeps without holding a thread: the test process
    /// has as many cooperative threads as cores (two in CI), and every other test needs them.
    /// Started with `SpawnedProcess`, not `Process`, whose `run()` over-reads memory when the
    /// test process holds many descriptors.
    static func run(_ arguments: [String], environment: [String: String] = [:], in directory: String) async throws
        -> Output
    {
        let out = directory + "/command.out"
        let err = directory + "/command.err"
        let rc = directory + "/command.rc"
        try? FileManager.default.removeItem(atPath: rc)
        let process = try SpawnedProcess(
            executable: "/bin/bash",
            arguments: [
                "-c", "\"$@\" >'\(out)' 2>'\(err)' </dev/null; echo $? >'\(rc).tmp' && mv '\(rc).tmp' '\(rc)'", "bash",
            ] + arguments,
            environment: ProcessInfo.processInfo.environment.merging(environment) { _, new in new },
            directory: Paths.root.path)
        let deadline = Date().addingTimeInterval(600)
        while !FileManager.default.fileExists(atPath: rc) {
            guard Date() < deadline else {
                terminateChildren(of: process.pid)
                throw IntegrationFailure("`\(arguments.joined(separator: " "))` ran over 10 minutes; sent it SIGTERM")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        // bash exits right after the rename: reap it (bounded, in case it is stopped meanwhile).
        let reapDeadline = Date().addingTimeInterval(10)
        while process.isRunning, Date() < reapDeadline { try await Task.sleep(for: .milliseconds(10)) }
        let status =
            Int32(
                (try? String(contentsOfFile: rc, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
                    ?? "") ?? -1
        return Output(
            status: status,
            stdout: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOfFile: err, encoding: .utf8)) ?? "")
    }

    /// SIGTERM to the command bash runs (bash's children), so that a program that stops what it
    /// started on SIGTERM (omjob-chaos, the sandbox) leaves nothing behind.
    private static func terminateChildren(of pid: Int32) {
        let children = (try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8)) ?? ""
        for child in children.split(separator: " ").compactMap({ Int32($0) }) { kill(child, SIGTERM) }
    }

    /// Runs and throws, with the command's last words, unless it exits 0.
    @discardableResult
    static func check(_ arguments: [String], environment: [String: String] = [:], in directory: String) async throws
        -> String
    {
        let output = try await run(arguments, environment: environment, in: directory)
        guard output.status == 0 else {
            throw IntegrationFailure(
                "`\(arguments.joined(separator: " "))` exited \(output.status):\n\(output.stderr.suffix(2000))")
        }
        return output.stdout
    }
}
