import Foundation
import Spawn

/// Fixtures/cutting_proxy.py: a TCP proxy whose connections a test can cut on demand.
final class CuttingProxy: Sendable {
    let port: Int
    private let process: SpawnedProcess
    private let stdin: FileHandle
    private let stdout: FileHandle

    init(targetPort: Int) throws {
        // SpawnedProcess, not Process: see SpawnedProcess for the descriptor-count crash.
        process = try SpawnedProcess(
            executable: "/usr/bin/env",
            arguments: [
                "python3", ScriptedServer.fixtures.appendingPathComponent("cutting_proxy.py").path, String(targetPort),
            ],
            environment: ProcessInfo.processInfo.environment, stdin: .pipe, stdout: .pipe)
        stdin = process.stdinWriter!
        stdout = process.stdoutReader!
        guard let port = Int(Self.readLine(stdout)) else { throw CocoaError(.fileReadCorruptFile) }
        self.port = port
    }

    /// Breaks every open connection now.
    func cut() { command("cut") }
    /// Cuts and refuses new connections until `resume()`.
    func pause() { command("pause") }
    func resume() { command("resume") }

    func stop() {
        try? stdin.close()
        process.waitUntilExit()
    }

    private func command(_ text: String) {
        stdin.write(Data((text + "\n").utf8))
        _ = Self.readLine(stdout)  // "ok": the command took effect before we go on
    }

    private static func readLine(_ handle: FileHandle) -> String {
        var line = Data()
        while let byte = try? handle.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) { line.append(byte) }
        return String(decoding: line, as: UTF8.self)
    }
}
