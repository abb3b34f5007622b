import Foundation
import Testing

/// The supervisor as PID 1 of its own PID namespace, as in a container without tini.
extension SupervisorProcessTests {
    @Test func orphansAreReapedWhenTheSupervisorIsPID1() async throws {
        guard getuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare") else {
            Issue.record("needs root and /usr/bin/unshare to make the supervisor PID 1 of a PID namespace")
            return
        }
        // The gc's shell leaves a `sleep` behind; it is re-parented to PID 1 and becomes a
        // zombie when it ends, unless the supervisor reaps it.
        let launcher = ["/usr/bin/unshare", "--pid", "--fork", "--mount-proc", "--kill-child=SIGTERM"]
        try await withSupervisor(scripts: ["gc": "(sleep 0.3 &)\nexec sleep 600"], launcher: launcher) {
            supervisor, _ in
            _ = try await supervisor.healthPort()
            #expect(await eventually { !supervisor.supervisorLogs("reaped orphan").isEmpty }, "\(supervisor.rawLogs)")
            #expect(supervisor.logs.first { $0["role"] as? String == "supervisor" }?["pid"] as? Int == 1)
            // `unshare --fork` ignores SIGTERM while it waits: signal PID 1 itself (its host pid);
            // unshare then exits with its child's status.
            let children = try String(
                contentsOfFile: "/proc/\(supervisor.pid)/task/\(supervisor.pid)/children", encoding: .utf8)
            let pid1 = try #require(children.split(separator: " ").first.flatMap { Int32($0) })
            kill(pid1, SIGTERM)
            #expect(await supervisor.waitExit() == 0)
            #expect(
                await eventually {
                    supervisor.supervisorLogs("supervisor exiting").first?["exit.code"] as? String == "0"
                })
        }
    }
}
