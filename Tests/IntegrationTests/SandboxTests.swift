import Foundation
import TestSupport
import Testing

/// The README's first command, run as CI would: `scripts/sandbox.sh --check` with the built
/// products starts kubesim and the whole operator tree, applies examples/, performs each
/// example's action, and exits 0 only if every run ended as its annotations expect with exactly
/// one exit-handler run. This test also reads the final table and checks nothing was left running.
@Suite(.timeLimit(.minutes(5))) struct SandboxTests {
    /// The runs examples/ creates, with the reason each must record and what its handler must say.
    static let expectedRows: [(run: String, reason: String, says: String)] = [
        ("default/omjob-succeeds", "Completed", "pipelineStatus=success"),
        ("default/omjob-fails", "Error", "pipelineStatus=failed"),
        ("default/omjob-killed", "Killed", "pipelineStatus=failed"),
        ("default/omjob-main-pod-deleted", "", "pipelineStatus=failed"),
        ("default/omjob-oom-killed", "OOMKilled", "pipelineStatus=failed"),
        ("openmetadata-pipelines/om-job-mysql-prod-metadata-hx3k2-3f2a9c1e", "Completed", "pipelineStatus=success"),
        ("default/om-cronomjob-sandbox-every-minute-", "Completed", "pipelineStatus=success"),
    ]

    /// CI installs kubectl and python3 (scripts/install-deps.sh), so there a missing one fails the test.
    static let runnable =
        (onPath("kubectl") && onPath("python3")) || ProcessInfo.processInfo.environment["CI"] == "true"

    @Test(.enabled(if: runnable, "the sandbox needs kubectl and python3 on PATH (scripts/install-deps.sh --sandbox)"))
    func theSandboxEndsEveryExampleAsItsAnnotationsExpect() async throws {
        try #require(Self.onPath("kubectl") && Self.onPath("python3"), "the sandbox needs kubectl and python3 on PATH")
        let (status, output) = try await Self.runSandbox()
        // The verdict table comes first: CI logs keep a message's start and may cut its middle.
        #expect(
            status == 0,
            "sandbox --check exited \(status); its table:\n\(Self.table(output))\nits whole output:\n\(output)")
        #expect(output.contains("sandbox check: passed"), "\(Self.table(output))")
        let rows = output.split(separator: "\n").map(String.init)
        for expected in Self.expectedRows {
            let row = rows.first { $0.hasPrefix(expected.run) }
            #expect(row != nil, "no table row for \(expected.run):\n\(output)")
            guard let row else { continue }
            let cells = row.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            // RUN ACTION PHASE REASON EXIT HANDLER-RUNS CHECK PRINTED…
            #expect(cells.count > 6 && cells[5] == "1" && cells[6] == "ok", "\(row)")
            #expect(expected.reason.isEmpty || cells.count > 3 && cells[3] == expected.reason, "\(row)")
            #expect(row.contains(expected.says), "\(row)")
        }
        let pids = Self.startedPIDs(output)
        #expect(pids.count == 2, "the sandbox did not announce its kubesim and operator pids")
        for pid in pids {
            #expect(kill(pid, 0) != 0, "process \(pid) started by the sandbox still runs")
        }
    }

    /// Runs the sandbox against the built products (no install, no build: `make test` built them).
    /// Through `HelperProgram`, whose wait holds no thread for the minute the sandbox takes.
    static func runSandbox() async throws -> (Int32, String) {
        let directory = try Paths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let environment = [
            "OMJOB_BIN_DIR": URL(fileURLWithPath: try Paths.product("omjob-supervisor")).deletingLastPathComponent()
                .path,
            "SANDBOX_TIMEOUT": "200", "SANDBOX_CRON_TIMEOUT": "150",
        ]
        let output = try await HelperProgram.run(
            ["bash", Paths.root.appendingPathComponent("scripts/sandbox.sh").path, "--check"],
            environment: environment, in: directory)
        return (output.status, output.stdout + output.stderr)
    }

    /// The final table and verdict: everything from the header row on.
    static func table(_ output: String) -> String {
        guard let header = output.range(of: "\nRUN ") else { return "(no table printed)" }
        return String(output[header.lowerBound...])
    }

    /// The pids the sandbox announces: "sandbox: pids kubesim=N operator=M".
    static func startedPIDs(_ output: String) -> [pid_t] {
        guard let line = output.split(separator: "\n").first(where: { $0.hasPrefix("sandbox: pids ") }) else {
            return []
        }
        return line.split(separator: " ").compactMap { $0.split(separator: "=").last.flatMap { pid_t($0) } }
    }

    static func onPath(_ tool: String) -> Bool {
        (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
            .contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(tool)") }
    }
}
