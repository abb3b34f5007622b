import Foundation
import KubeJSON
import KubeSim
import TestSupport
import Testing

/// `omjob ctl` (the built executable) against a running omjob-supervisor on kubesim, and
/// `release-finalizers` on finalizers the real operator put there.
@Suite(.timeLimit(.minutes(3))) struct SupervisorCtlTests {
    static func startOperator(_ h: SimHarness) throws -> SupervisorProcess {
        try FileManager.default.createDirectory(atPath: h.directory + "/run", withIntermediateDirectories: true)
        return try SupervisorProcess(
            executable: try Repo.product("omjob-supervisor"),
            environment: [
                "PATH": "/usr/bin:/bin", "HOME": h.directory, "KUBECONFIG": h.kubeconfig,
                "OMJOB_RUN_DIR": h.directory + "/run",
                "HEALTH_CHECK_PORT": "0", "WATCH_NAMESPACES": "ALL", "EXECUTOR_WORKERS": "2",
                "HEARTBEAT_INTERVAL_MS": "200",
                "SHUTDOWN_GRACE_SECONDS": "5", "LOG_LEVEL": "INFO",
            ])
    }

    static func ctl(_ arguments: [String], environment: [String: String] = ["PATH": "/usr/bin:/bin"]) throws -> Outcome
    {
        try runProgram(try Repo.product("omjob"), ["ctl"] + arguments, environment: environment, timeout: 30)
    }

    @Test func ctlSpeaksTheBrokerProtocol() async throws {
        try await SimHarness.with { h in
            let supervisor = try Self.startOperator(h)
            defer { supervisor.stop() }
            let socket = h.directory + "/run/broker.sock"
            let status = try await eventually("every child up and ready", timeout: 60) { () -> JSONValue? in
                let outcome = try Self.ctl(["status", "--socket", socket, "-o", "json"])
                guard outcome.code == 0 else { return nil }
                let body = try JSONValue.parse(outcome.out)
                let children = body["children"]?.arrayValue ?? []
                // `return nil`, not `? body : nil`: JSONValue is ExpressibleByNilLiteral, and that nil would be `.null`.
                guard children.count == 4, children.allSatisfy({ $0["pid"]?.intValue != nil }),
                    body["problems"]?.arrayValue?.isEmpty == true
                else {
                    return nil
                }
                return body
            }
            #expect(
                Set(status["children"]?.arrayValue?.compactMap { $0["child"]?.stringValue } ?? []) == [
                    "watcher-0", "executor-0", "executor-1", "gc-0",
                ])

            // Found through OMJOB_RUN_DIR, as inside the operator's container; a table for people.
            let table = try Self.ctl(
                ["status"], environment: ["PATH": "/usr/bin:/bin", "OMJOB_RUN_DIR": h.directory + "/run"])
            #expect(table.code == 0, "\(table)")
            let lines = table.out.split(separator: "\n").map(String.init)
            #expect(
                lines.first == "CHILD       PID      RESTARTS  LAST EXIT"
                    || lines.first?.hasPrefix("CHILD       PID") == true, "\(table)")
            #expect(lines.contains { $0.hasPrefix("watcher-0 ") && $0.hasSuffix("  0         -") }, "\(table)")
            #expect(lines.suffix(2) == ["routing: yes", "ready: yes"], "\(table)")

            let raw = try Self.ctl(["status", "--socket", socket, "--raw"])
            let rawLines = raw.out.split(separator: "\n").map(String.init)
            #expect(rawLines.count == 8, "\(raw)")
            #expect(rawLines[1].hasPrefix("> {") && rawLines[1].contains("\"role\":\"ctl\""), "\(raw)")
            #expect(rawLines[3].hasPrefix("< {") && rawLines[3].contains("\"type\":\"welcome\""), "\(raw)")
            #expect(rawLines[5] == "> {\"request\":\"status\",\"type\":\"ctl\",\"v\":1}", "\(raw)")
            #expect(
                Int(rawLines[6].dropFirst(2)) == rawLines[7].utf8.count - 2,
                "the length frame counts the payload's bytes: \(raw)")

            let inflight = try Self.ctl(["inflight", "--socket", socket])
            #expect(
                inflight.code == 0 && (inflight.out == "no commands in flight\n" || inflight.out.hasPrefix("ID")),
                "\(inflight)")
            let metrics = try Self.ctl(["metrics", "--socket", socket])
            #expect(metrics.code == 0 && metrics.out.contains("omjob_supervisor_child_up{"), "\(metrics)")

            let level = try Self.ctl(["log-level", "debug", "--socket", socket])
            #expect(level.code == 0 && level.out == "log level of every process set to DEBUG\n", "\(level)")
            _ = try await eventually("the supervisor logs the change") {
                supervisor.text.contains("log level changed") ? true : nil
            }
            let badLevel = try Self.ctl(["log-level", "chatty", "--socket", socket])
            #expect(badLevel.code == 2 && badLevel.err.contains("unknown log level \"chatty\""), "\(badLevel)")

            let nowhere = try Self.ctl(["status", "--socket", h.directory + "/nothing.sock"])
            #expect(
                nowhere.code == 1
                    && nowhere.err.contains("cannot connect to the broker at \(h.directory)/nothing.sock"), "\(nowhere)"
            )
            let none = try Self.ctl(
                ["status"], environment: ["PATH": "/usr/bin:/bin", "OMJOB_RUN_DIR": h.directory + "/empty"])
            #expect(none.code == 1 && none.err.contains("no broker socket found"), "\(none)")
        }
    }

    @Test func releaseFinalizersUndoesWhatTheOperatorHolds() async throws {
        try await SimHarness.with { h in
            let supervisor = try Self.startOperator(h)
            var stopped = false
            defer { if !stopped { supervisor.stop() } }
            _ = try h.sim.store.create(
                SimHarness.omjobs, namespace: h.namespace, object: Objects.omjob("held", runID: "r-1"))
            let finalizer = "omjob.pipelines.openmetadata.org/exit-handler"
            _ = try await eventually("the operator's finalizer on the OMJob and its main pod", timeout: 60) {
                () -> Bool? in
                let job = try h.sim.store.get(SimHarness.omjobs, namespace: h.namespace, name: "held")
                let pod = try h.sim.store.get(.pods, namespace: h.namespace, name: "held-main")
                let both = [job, pod].allSatisfy {
                    $0[path: ["metadata", "finalizers"]]?.arrayValue?.contains(.string(finalizer)) == true
                }
                return both ? true : nil
            }
            // Uninstall: the operator goes first, then its objects are deleted and stay Terminating.
            supervisor.stop()
            stopped = true
            _ = try h.sim.store.delete(SimHarness.omjobs, namespace: h.namespace, name: "held")
            _ = try h.sim.store.delete(.pods, namespace: h.namespace, name: "held-main")
            #expect(
                try h.sim.store.get(.pods, namespace: h.namespace, name: "held-main")[path: [
                    "metadata", "deletionTimestamp",
                ]] != nil)

            let outcome = try runProgram(
                try Repo.pluginDirectory() + "/kubectl-omjob", ["release-finalizers", "-A"], environment: h.environment)
            #expect(
                outcome.code == 0
                    && outcome.out.contains(
                        "released 2 object(s) in any namespace; 2 of them were being deleted and now go"),
                "\(outcome)")
            #expect((try? h.sim.store.get(SimHarness.omjobs, namespace: h.namespace, name: "held")) == nil)
            #expect((try? h.sim.store.get(.pods, namespace: h.namespace, name: "held-main")) == nil)
        }
    }
}
