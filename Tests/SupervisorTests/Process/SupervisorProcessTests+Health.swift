import Foundation
import KubeJSON
import Spawn
import TestSupport
import Testing

@testable import Shared

/// Socket permissions, the foreign-uid check, probes and metrics of the real supervisor.
extension SupervisorProcessTests {
    /// Runs /usr/bin/python3 as `nobody` (setpriv) to connect to the socket; returns its stdout.
    func connectAsNobody(_ path: String) throws -> String {
        let arguments = [
            "--reuid=65534", "--regid=65534", "--clear-groups", "/usr/bin/python3", "-c",
            """
            import socket, sys
            s = socket.socket(socket.AF_UNIX)
            try:
                s.connect(sys.argv[1])
            except OSError as e:
                print("connect-failed", e.errno); sys.exit(0)
            s.settimeout(10)
            try:
                s.sendall(b'46\\n{"v":1,"type":"hello","role":"ctl","pid":1234}\\n')
                data = s.recv(4096)
            except (ConnectionResetError, BrokenPipeError):
                data = b""
            print("welcome" if b"welcome" in data else "closed" if data == b"" else "other")
            """, path,
        ]
        let process = try SpawnedProcess(
            executable: "/usr/bin/setpriv", arguments: arguments,
            environment: ProcessInfo.processInfo.environment, stdout: .pipe)
        let output = process.stdoutReader!.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func socketIsPrivateAndAnotherUIDIsRefused() async throws {
        guard getuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv"),
            FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")
        else {
            Issue.record("needs root, /usr/bin/setpriv and /usr/bin/python3 to run a client as another uid")
            return
        }
        try await withSupervisor { supervisor, temporary in
            _ = try await supervisor.healthPort()
            var directory = stat()
            var socket = stat()
            #expect(stat(supervisor.runDirectory, &directory) == 0 && stat(supervisor.socketPath, &socket) == 0)
            #expect(directory.st_mode & 0o777 == 0o700)
            #expect(socket.st_mode & 0o777 == 0o600)
            // The directory alone keeps another uid out.
            #expect(try connectAsNobody(supervisor.socketPath) == "connect-failed 13")
            // Loosened permissions (a misconfiguration): SO_PEERCRED still refuses the peer.
            chmod(temporary.path, 0o755)
            chmod(supervisor.runDirectory, 0o755)
            chmod(supervisor.socketPath, 0o666)
            #expect(try connectAsNobody(supervisor.socketPath) == "closed")
            #expect(await eventually { !supervisor.supervisorLogs("broker connection refused").isEmpty })
            #expect(
                (supervisor.supervisorLogs("broker connection refused").first?["reason"] as? String)?.contains(
                    "uid 65534") == true)
            // Our own uid is still welcome.
            _ = try BrokerClient.hello(path: supervisor.socketPath)
        }
    }

    @Test func metricsParseWithPrometheusClientAndWorkerTotalsSurviveRestarts() async throws {
        try await withSupervisor { supervisor, _ in
            let port = try await supervisor.waitReady()
            let requester = try BrokerClient.hello(path: supervisor.socketPath)
            requester.send(
                .command(CommandEnvelope(id: "m-1", key: ObjectKey(namespace: "ns", name: "a"), payload: [:])))
            _ = try requester.next()
            // A worker reports totals since it started; after it is gone a new one starts from zero.
            for value in [5.0, 3.0] {
                let worker = try BrokerClient.hello(path: supervisor.socketPath, role: "gc")
                // The gc hears whether this replica leads right after its welcome.
                #expect(try worker.next() == .leadership(leading: true))
                worker.send(
                    .metrics(
                        MetricsReport(counters: [
                            MetricSample(name: "omjob_gc_pods_deleted_total", labels: ["namespace": "ns"], value: value)
                        ])))
                worker.send(.ctl(.status))
                _ = try worker.next()
            }
            let text = try LoopbackHTTP.get(port: port, path: "/metrics").body
            let parsed = try prometheusParse(text)
            #expect(parsed["omjob_gc_pods_deleted_total{namespace=ns}"] == 8, "\(parsed)")
            #expect(parsed["omjob_broker_round_trip_seconds_count{}"] == 1)
            #expect(parsed["omjob_supervisor_child_up{instance=0,role=watcher}"] == 1)
        }
    }

    /// Parses with prometheus_client's own text parser (scripts/requirements-test.txt).
    func prometheusParse(_ text: String) throws -> [String: Double] {
        let arguments = [
            "python3", "-c",
            """
            import sys
            from prometheus_client.parser import text_string_to_metric_families
            for family in text_string_to_metric_families(sys.stdin.read()):
                for s in family.samples:
                    labels = ",".join(f"{k}={v}" for k, v in sorted(s.labels.items()))
                    print(f"{s.name}{{{labels}}} {s.value}")
            """,
        ]
        var env = ProcessInfo.processInfo.environment
        env["PATH"] = (env["PATH"] ?? "") + ":/usr/bin"
        let process = try SpawnedProcess(
            executable: "/usr/bin/env", arguments: arguments, environment: env,
            stdin: .pipe, stdout: .pipe, stderr: .pipe)
        process.stdinWriter!.write(Data(text.utf8))
        try process.stdinWriter!.close()
        let output = String(decoding: process.stdoutReader!.readDataToEndOfFile(), as: UTF8.self)
        guard process.waitUntilExit() == .exited(0) else {
            throw TestFailure(
                "prometheus_client rejected /metrics (pip install -r scripts/requirements-test.txt): "
                    + String(decoding: process.stderrReader!.readDataToEndOfFile(), as: UTF8.self))
        }
        var samples: [String: Double] = [:]
        for line in output.split(separator: "\n") {
            let parts = line.split(separator: " ")
            if parts.count == 2, let value = Double(parts[1]) { samples[String(parts[0])] = value }
        }
        return samples
    }

    @Test func readyIs503WhileARoleIsDown() async throws {
        // A gc that runs but never connects: the role is down as far as the broker can tell.
        try await withSupervisor(scripts: ["gc": "exec sleep 600"]) { supervisor, _ in
            let port = try await supervisor.healthPort()
            #expect(await eventually { supervisor.supervisorLogs("broker peer joined").count >= 3 })
            let ready = try LoopbackHTTP.get(port: port, path: "/ready")
            #expect(ready.status == 503)
            #expect(ready.body.contains("gc-0 has not connected to the broker"), "\(ready.body)")
            #expect(try LoopbackHTTP.get(port: port, path: "/health").status == 200)
        }
        // The same tree with every role up is ready; killing a worker makes it unready until its
        // replacement has said hello and ready again.
        try await withSupervisor { supervisor, _ in
            let port = try await supervisor.waitReady()
            let info = try JSONDecoder().decode(
                JSONValue.self, from: Data(try LoopbackHTTP.get(port: port, path: "/info").body.utf8))
            let watcher = try #require(info["children"]?.arrayValue?.first { $0["role"]?.stringValue == "watcher" })
            #expect(info["configuration"]?["EXECUTOR_WORKERS"]?.stringValue == "2")
            kill(Int32(try #require(watcher["pid"]?.intValue)), SIGSTOP)
            defer { kill(Int32(watcher["pid"]?.intValue ?? 0), SIGCONT) }
            // A stopped watcher stops heartbeating: the broker drops it, /ready says so, and the
            // hung process is killed and replaced, after which the tree is ready again.
            #expect(await eventually { (try? LoopbackHTTP.get(port: port, path: "/ready"))?.status == 503 })
            #expect(await eventually { !supervisor.supervisorLogs("child stopped heartbeating; killing it").isEmpty })
            #expect(await eventually { (try? LoopbackHTTP.get(port: port, path: "/ready"))?.status == 200 })
        }
    }

    @Test func logLevelChangesByCtlMessageAndSIGHUP() async throws {
        try await withSupervisor(["LOG_LEVEL": "INFO"]) { supervisor, _ in
            _ = try await supervisor.waitReady()
            let ctl = try BrokerClient.hello(path: supervisor.socketPath)
            ctl.send(.logLevel("DEBUG"))
            #expect(
                await eventually {
                    supervisor.supervisorLogs("log level changed").contains { $0["log.level"] as? String == "debug" }
                })
            supervisor.signal(SIGHUP)
            #expect(
                await eventually {
                    supervisor.supervisorLogs("log level changed by SIGHUP").contains {
                        $0["log.level"] as? String == "info"
                    }
                })
        }
    }
}
