import Foundation
import Spawn
import Testing

@testable import Runtime

/// Tests that run the real built `omjob-supervisor` with the real role executables or tiny
/// scripts as children. Serialized: each starts a process tree, and the machine is shared.
@Suite(.serialized, .timeLimit(.minutes(5))) struct SupervisorProcessTests {
    /// Starts a supervisor in a fresh directory, runs `body`, and always cleans up.
    func withSupervisor(
        _ environment: [String: String] = [:], scripts: [String: String] = [:], launcher: [String] = [],
        _ body: (RunningSupervisor, TemporaryDirectory) async throws -> Void
    ) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var env = environment
        for (role, script) in scripts {
            env["OMJOB_\(role.uppercased())_COMMAND"] = try directory.script(role + ".sh", script)
        }
        let supervisor = try RunningSupervisor(
            runDirectory: directory.path + "/run", environment: env, launcher: launcher)
        defer { supervisor.terminate() }
        try await body(supervisor, directory)
    }

    @Test func crashingWorkerIsRestartedWithGrowingDelays() async throws {
        try await withSupervisor(["EXECUTOR_WORKERS": "1", "RESTART_INTENSITY": "100"], scripts: ["gc": "exit 1"]) {
            supervisor, _ in
            let restarts = {
                supervisor.supervisorLogs("child exited; restarting after backoff").filter {
                    $0["child"] as? String == "gc-0"
                }
            }
            #expect(await eventually { restarts().count >= 5 }, "\(supervisor.rawLogs)")
            let delays = restarts().prefix(5).compactMap { ($0["delay.ms"] as? String).flatMap(Int.init) }
            #expect(delays == [100, 200, 400, 800, 1600])
            let starts = supervisor.supervisorLogs("child started").filter { $0["child"] as? String == "gc-0" }.count
            #expect(starts >= 5)
        }
    }

    @Test func crashLoopBeyondIntensityEndsTheSupervisorNonZero() async throws {
        try await withSupervisor(
            ["RESTART_INTENSITY": "3", "RESTART_PERIOD_SECONDS": "60"], scripts: ["executor": "exit 3"]
        ) { supervisor, _ in
            let code = await supervisor.waitExit()
            #expect(code == 1)
            // The last lines may still be in the pipe when the process has exited.
            #expect(await eventually { !supervisor.supervisorLogs("supervisor exiting").isEmpty })
            let why = supervisor.supervisorLogs("restart intensity exceeded; shutting down the tree")
            #expect(why.count == 1)
            #expect(why.first?["level"] as? String == "critical")
            #expect((why.first?["exit.reason"] as? String) == "exited with code 3")
            #expect(!FileManager.default.fileExists(atPath: supervisor.socketPath))
        }
    }

    /// SIGPIPE ignored by the supervisor (workers ignore it in `WorkerMain` the same way; spawning
    /// resets a child's signals to their defaults): a write to a just-killed worker's socket is
    /// EPIPE, not the end of the tree. Read from /proc/PID/status (SigIgn, bit 13 is SIGPIPE).
    @Test func theSupervisorIgnoresSIGPIPE() async throws {
        try await withSupervisor(["EXECUTOR_WORKERS": "1"], scripts: ["gc": "exec sleep 30"]) { supervisor, _ in
            func ignoresPipe(_ pid: Int32) -> Bool {
                guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
                    let line = status.split(separator: "\n").first(where: { $0.hasPrefix("SigIgn:") }),
                    let mask = UInt64(line.dropFirst("SigIgn:".count).trimmingCharacters(in: .whitespaces), radix: 16)
                else { return false }
                return mask & (1 << (UInt64(SIGPIPE) - 1)) != 0
            }
            // Set in the first lines of main: by the time a child started, it is.
            #expect(await eventually { !supervisor.supervisorLogs("child started").isEmpty }, "\(supervisor.rawLogs)")
            #expect(ignoresPipe(supervisor.pid))
        }
    }

    @Test func badSettingStopsStartUpWithTheConfigurationExitCodeNamingTheVariable() async throws {
        for name in ["omjob-supervisor", "omjob-executor", "omjob-watcher", "omjob-gc"] {
            let process = try SpawnedProcess(
                executable: try BuiltProducts.path(name),
                environment: ["EXECUTOR_WORKERS": "many", "PATH": "/usr/bin:/bin"], stderr: .pipe)
            let text = String(decoding: process.stderrReader!.readDataToEndOfFile(), as: UTF8.self)
            #expect(process.waitUntilExit() == .exited(100), "\(name)")
            #expect(text.contains("EXECUTOR_WORKERS") && text.contains("many"), "\(name): \(text)")
        }
    }

    /// The watcher's and the gc's settings are checked by the supervisor before any child
    /// starts: the pod ends at once, each bad setting named, instead of a child's crash loop.
    @Test func theSupervisorRefusesEveryRolesBadSettingsBeforeStartingAChild() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let marker = directory.path + "/started"
        let child = try directory.script("child.sh", "touch \(marker); sleep 30")
        let environment = [
            "PATH": "/usr/bin:/bin", "OMJOB_RUN_DIR": directory.path + "/run",
            "OMJOB_GC_DEFAULT_TTL_SECONDS": "1d", "OMJOB_KILL_DEADLINE_SECONDS": "0", "LOG_LEVEL": "LOUD",
            "OMJOB_WATCHER_COMMAND": child, "OMJOB_EXECUTOR_COMMAND": child, "OMJOB_GC_COMMAND": child,
        ]
        let process = try SpawnedProcess(
            executable: try BuiltProducts.path("omjob-supervisor"), environment: environment, stderr: .pipe)
        let text = String(decoding: process.stderrReader!.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.waitUntilExit() == .exited(100))
        for (name, value) in [
            ("OMJOB_GC_DEFAULT_TTL_SECONDS", "1d"), ("OMJOB_KILL_DEADLINE_SECONDS", "0"), ("LOG_LEVEL", "LOUD"),
        ] {
            #expect(text.contains("invalid value \"\(value)\" for \(name)"), "\(text)")
        }
        #expect(text.contains("3 bad setting(s)"), "\(text)")
        #expect(!FileManager.default.fileExists(atPath: marker), "no child was started")
    }

    /// A worker that exits with the configuration code is not restarted, and the supervisor ends
    /// with the same code.
    @Test func aChildsConfigurationExitEndsTheSupervisorWithTheSameCode() async throws {
        try await withSupervisor(["EXECUTOR_WORKERS": "1"], scripts: ["gc": "exit 100"]) { supervisor, _ in
            #expect(await supervisor.waitExit() == 100)
            #expect(await eventually { !supervisor.supervisorLogs("supervisor exiting").isEmpty })
            let why = supervisor.supervisorLogs("child failed permanently; shutting down the tree")
            #expect(
                why.first?["exit.reason"] as? String == "exited with code 100 (usage or configuration error)",
                "\(supervisor.rawLogs)")
            #expect(supervisor.supervisorLogs("child exited; restarting after backoff").isEmpty)
        }
    }

    @Test func helpOfEveryExecutableListsEverySetting() async throws {
        for name in ["omjob-supervisor", "omjob-executor", "omjob-watcher", "omjob-gc"] {
            let process = try SpawnedProcess(
                executable: try BuiltProducts.path(name), arguments: ["--help"],
                environment: ProcessInfo.processInfo.environment, stdout: .pipe)
            let text = String(decoding: process.stdoutReader!.readDataToEndOfFile(), as: UTF8.self)
            #expect(process.waitUntilExit() == .exited(0))
            for setting in Settings.all { #expect(text.contains(setting.name), "\(name) --help lacks \(setting.name)") }
        }
    }
}
