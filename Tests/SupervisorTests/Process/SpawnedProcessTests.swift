import Foundation
import Spawn
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `SpawnedProcess`, the tests' and benchmarks' replacement for Foundation's `Process.run()`: stdio as
/// asked, exit codes and signals as `Process` reports them, and no other descriptor inherited.
@Suite struct SpawnedProcessTests {
    @Test func theChildInheritsOnlyItsStdio() throws {
        // Descriptors without close-on-exec, as Foundation's pipes are: only closing them in the
        // child keeps them out of it. A few dozen: many more would push this shared test process
        // towards the descriptor count at which `Process.run()` over-reads.
        let open = (0..<32).map { _ in Glibc.open("/dev/null", O_RDONLY) }
        defer { open.forEach { close($0) } }
        #expect(open.allSatisfy { $0 >= 3 })
        let process = try SpawnedProcess(
            executable: "/bin/sh", arguments: ["-c", "ls /proc/self/fd"],
            environment: ["PATH": "/usr/bin:/bin"], stdout: .pipe)
        let listed = String(decoding: process.stdoutReader!.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.waitUntilExit() == .exited(0))
        // 0-2 are the stdio; ls opens one more to read the directory itself.
        let fds = Set(listed.split(separator: "\n").compactMap { Int32($0) })
        #expect(fds.isSuperset(of: [0, 1, 2]) && fds.count <= 4, "child descriptors: \(fds.sorted())")
    }

    @Test(arguments: [("exit 3", SpawnedProcess.Termination.exited(3)), ("kill -TERM $$", .signaled(SIGTERM))])
    func endingsAreReportedAsProcessDoes(script: String, ending: SpawnedProcess.Termination) throws {
        let process = try SpawnedProcess(executable: "/bin/sh", arguments: ["-c", script], environment: [:])
        #expect(process.waitUntilExit() == ending)
        #expect(!process.isRunning)
        #expect(process.terminationStatus == (ending == .exited(3) ? 3 : SIGTERM))
    }

    @Test func stdinPipeReachesTheChildAndItsOutputsComeBack() throws {
        let process = try SpawnedProcess(
            executable: "/bin/sh", arguments: ["-c", "tr a-z A-Z; echo err >&2"],
            environment: ["PATH": "/usr/bin:/bin"], stdin: .pipe, stdout: .pipe, stderr: .pipe)
        process.stdinWriter!.write(Data("hello\n".utf8))
        try process.stdinWriter!.close()
        #expect(String(decoding: process.stdoutReader!.readDataToEndOfFile(), as: UTF8.self) == "HELLO\n")
        #expect(String(decoding: process.stderrReader!.readDataToEndOfFile(), as: UTF8.self) == "err\n")
        #expect(process.waitExit(timeout: 30) == 0)
    }

    @Test func inheritedStdoutIsTheParentsAndStaysOpenInIt() throws {
        let own = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/1")
        // Read before any redirection: the shell's own descriptor 1.
        let process = try SpawnedProcess(
            executable: "/bin/sh", arguments: ["-c", "target=$(readlink /proc/$$/fd/1); echo \"$target\" >&2"],
            environment: ["PATH": "/usr/bin:/bin"], stdout: .inherit, stderr: .pipe)
        let childs = String(decoding: process.stderrReader!.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.waitUntilExit() == .exited(0))
        #expect(childs == own + "\n")
        // Lent, not handed over: the parent still has its stdout.
        #expect(fcntl(1, F_GETFD) != -1)
    }

    @Test func fileOutputIsAppendedAndTheDirectoryIsTheChildsWorkingDirectory() throws {
        let directory = NSTemporaryDirectory() + "spawned-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let log = directory + "/log"
        try "before\n".write(toFile: log, atomically: true, encoding: .utf8)
        let process = try SpawnedProcess(
            executable: "/bin/sh", arguments: ["-c", "pwd"], environment: [:],
            directory: directory, stdout: .file(log))
        #expect(process.waitUntilExit() == .exited(0))
        let resolved = URL(fileURLWithPath: directory).resolvingSymlinksInPath().path
        #expect(try String(contentsOfFile: log, encoding: .utf8) == "before\n\(resolved)\n")
    }
}
