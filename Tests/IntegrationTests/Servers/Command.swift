import Foundation

/// Runs a helper program (the control-plane scripts, kubectl) to completion. Output goes to
/// files, not pipes, so a chatty program can never block on a full pipe.
enum Command {
    /// What a finished command printed.
    struct Output {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    static func run(_ arguments: [String], environment: [String: String] = [:], in directory: String) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        process.currentDirectoryURL = Paths.root
        let out = directory + "/command.out", err = directory + "/command.err"
        FileManager.default.createFile(atPath: out, contents: nil)
        FileManager.default.createFile(atPath: err, contents: nil)
        let outHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        let errHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
        defer { try? outHandle.close(); try? errHandle.close() }
        process.standardOutput = outHandle
        process.standardError = errHandle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return Output(status: process.terminationStatus,
                      stdout: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
                      stderr: (try? String(contentsOfFile: err, encoding: .utf8)) ?? "")
    }

    /// Runs on a Dispatch thread (the control plane takes seconds to start: the test pool's
    /// few threads stay free) and throws, with the command's last words, unless it exits 0.
    @discardableResult
    static func check(_ arguments: [String], environment: [String: String] = [:], in directory: String) async throws -> String {
        let output = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Output, any Error>) in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try run(arguments, environment: environment, in: directory) })
            }
        }
        guard output.status == 0 else {
            throw IntegrationFailure("`\(arguments.joined(separator: " "))` exited \(output.status):\n\(output.stderr.suffix(2000))")
        }
        return output.stdout
    }
}
