import Foundation
import KubeJSON
import Testing

/// The real kubectl finds `kubectl-omjob` on PATH and runs it; a real terminal (tmux) sees
/// `logs -f` follow a run and colour in tables. In CI (CI=true) a missing kubectl or tmux is a
/// failure: scripts/install-deps.sh installs both.
@Suite(.timeLimit(.minutes(2))) struct KubectlPluginTests {
    static var kubectl: String? { Repo.which("kubectl") }
    static var tmux: String? { Repo.which("tmux") }

    static func require(_ path: String?, _ tool: String) throws -> String {
        guard let path else { throw TestFailure("\(tool) is not installed: scripts/install-deps.sh installs it") }
        return path
    }

    @Test(
        .enabled(
            if: kubectl != nil || Repo.inCI,
            "kubectl is not installed here (scripts/install-deps.sh installs it; CI fails without it)"))
    func kubectlFindsThePluginAndPassesItsFlags() async throws {
        let kubectl = try Self.require(Self.kubectl, "kubectl")
        try await SimHarness.with { h in
            try h.createOMJob("via-kubectl", status: ["phase": "Running"])
            try h.createOMJob("elsewhere", namespace: "other")
            let plugins = try Repo.pluginDirectory()
            defer { try? FileManager.default.removeItem(atPath: plugins) }
            var environment = h.environment
            environment["PATH"] = plugins + ":/usr/bin:/bin"

            let listed = try runProgram(kubectl, ["plugin", "list"], environment: environment)
            #expect(listed.out.contains(plugins + "/kubectl-omjob"), "\(listed)")

            let json = try runProgram(kubectl, ["omjob", "list", "-o", "json"], environment: environment)
            #expect(json.code == 0, "\(json)")
            #expect(try JSONValue.parse(json.out)["items"]?.arrayValue?.map(\.name) == ["via-kubectl"])
            let other = try runProgram(
                kubectl, ["omjob", "list", "--context", "elsewhere", "-o", "name"], environment: environment)
            #expect(other.out == "omjob.pipelines.openmetadata.org/elsewhere\n", "\(other)")
            let namespaceFirst = try runProgram(
                kubectl, ["omjob", "-n", "other", "list", "-o", "name"], environment: environment)
            #expect(namespaceFirst.out == "omjob.pipelines.openmetadata.org/elsewhere\n", "\(namespaceFirst)")
            let table = try runProgram(kubectl, ["omjob", "list", "-A"], environment: environment)
            #expect(
                table.out.hasPrefix("NAMESPACE  NAME         PHASE    MAIN POD ENDING  EXIT HANDLER  ATTEMPTS  AGE\n"),
                "\(table)")
            #expect(!table.out.contains("\u{1B}["), "no colour when stdout is not a terminal")
            let missing = try runProgram(kubectl, ["omjob", "describe", "nope"], environment: environment)
            #expect(
                missing.code == 1 && missing.err.contains("cannot get omjob pipelines/nope: NotFound (404)"),
                "\(missing)")
            let waited = try runProgram(
                kubectl, ["omjob", "wait", "via-kubectl", "--timeout", "1s"], environment: environment)
            #expect(waited.code == 4, "kubectl passes the plugin's exit code on: \(waited)")
        }
    }

    @Test(
        .enabled(
            if: tmux != nil || Repo.inCI,
            "tmux is not installed here (scripts/install-deps.sh installs it; CI fails without it)"))
    func logsFollowOnATerminal() async throws {
        let tmux = try Self.require(Self.tmux, "tmux")
        try await SimHarness.with { h in
            let job = try h.createOMJob("on-tty", status: ["phase": "Running", "mainPodName": "on-tty-main"])
            try h.createPod("on-tty-main", of: job, type: "main")
            try h.setPod("on-tty-main", phase: "Running")
            try h.sim.store.appendLog(
                namespace: h.namespace, pod: "on-tty-main", container: "main", "ingesting tables\n")
            let plugins = try Repo.pluginDirectory()
            defer { try? FileManager.default.removeItem(atPath: plugins) }
            let server = "omjob-cli-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
            let environment = ["PATH": "/usr/bin:/bin", "HOME": h.directory, "TERM": "xterm-256color"]
            func tmuxRun(_ arguments: [String]) throws -> Outcome {
                try runProgram(tmux, ["-L", server] + arguments, environment: environment, timeout: 20)
            }
            let command =
                "KUBECONFIG=\(h.kubeconfig) \(plugins)/kubectl-omjob list; KUBECONFIG=\(h.kubeconfig) \(plugins)/kubectl-omjob logs on-tty -f; echo FOLLOW-ENDED $?; sleep 60"
            let started = try tmuxRun(["new-session", "-d", "-s", "cli", "-x", "200", "-y", "50", command])
            #expect(started.code == 0, "\(started)")
            defer { _ = try? tmuxRun(["kill-server"]) }
            func screen(_ escapes: Bool = false) throws -> String {
                try tmuxRun(["capture-pane", "-p", "-t", "cli"] + (escapes ? ["-e"] : [])).out
            }

            _ = try await eventually("the main pod's log on the screen") {
                try screen().contains("ingesting tables") ? true : nil
            }
            let coloured = try screen(true)
            #expect(coloured.contains("\u{1B}[33mRunning"), "colour on a terminal: \(coloured)")
            try h.sim.store.appendLog(namespace: h.namespace, pod: "on-tty-main", container: "main", "main done\n")
            try h.setPod("on-tty-main", phase: "Succeeded", exitCode: 0)
            try h.setStatus(
                "on-tty",
                [
                    "phase": "ExitHandlerRunning", "exitHandlerAttempts": 1,
                    "mainPodTermination": ["reason": "Completed", "exitCode": 0, "source": "ContainerTerminated"],
                ])
            try h.createPod("on-tty-exit", of: job, type: "exit-handler", attempt: 1)
            try h.setPod("on-tty-exit", phase: "Running")
            try h.sim.store.appendLog(
                namespace: h.namespace, pod: "on-tty-exit", container: "main", "pipelineStatus=success reported\n")
            _ = try await eventually("the exit handler's log on the screen") {
                try screen().contains("pipelineStatus=success reported") ? true : nil
            }
            try h.setPod("on-tty-exit", phase: "Succeeded", exitCode: 0)
            try h.setStatus("on-tty", ["phase": "Succeeded", "exitHandlerExitCode": 0])
            let final = try await eventually("logs -f to end with the run") { () -> String? in
                let text = try screen()
                return text.contains("FOLLOW-ENDED") ? text : nil
            }
            let lines = final.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            let start = lines.firstIndex(of: "==> on-tty-main (main) <==") ?? -1
            #expect(start >= 0, "\(final)")
            if start >= 0 {
                #expect(
                    Array(lines[start...].prefix(7)) == [
                        "==> on-tty-main (main) <==", "ingesting tables", "main done",
                        "==> on-tty-exit (exit handler, attempt 1) <==",
                        "pipelineStatus=success reported",
                        "==> omjob pipelines/on-tty Succeeded; exit handler succeeded <==", "FOLLOW-ENDED 0",
                    ], "\(final)")
            }
        }
    }
}
