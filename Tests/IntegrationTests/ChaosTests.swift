import Foundation
import TestSupport
import Testing

/// The short chaos soak: the built `omjob-chaos` (debug build, beside the other products) runs
/// 200 OMJobs with every kind of ending while it kills the watcher, executors, gc and once the
/// whole tree, with kubesim injecting 5xx, 429, latency, resets, cut watches and 410s. The
/// program checks every run itself and exits non-zero on any violation; the seed is fixed, so
/// the endings and the order of kills repeat (their moments depend on the machine).
///
/// Reliable on a loaded 2-core CI machine running other suites beside it: a run takes ~30 s
/// there, and every bound is several times that. `--settle` bounds the wait for the last runs
/// after the kills stop (an informer that failed repeatedly may wait up to a minute to reconnect)
/// and a stall in submission; the hang bound and the time limit only stop a program that hangs.
@Suite(.serialized, .timeLimit(.minutes(15)))
struct ChaosTests {
    @Test func everyRunKeepsItsPromiseUnderKillsAndFaults() async throws {
        let chaos = try Paths.product("omjob-chaos")
        let directory = try Paths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // Through `HelperProgram`, whose wait holds none of the test process's cooperative threads for
        // the half minute the soak takes. Its 10-minute bound stops only a program that hangs.
        let output = try await HelperProgram.run(
            [
                chaos, "--runs", "200", "--in-flight", "40", "--seed", "7", "--kill-every", "1.5",
                "--tree-kills", "1", "--settle", "300",
            ], in: directory)
        let text = output.stdout + output.stderr
        #expect(output.status == 0, "omjob-chaos exited \(output.status):\n\(text)")
        #expect(text.contains("violations:  0"), "\(text)")
        #expect(text.contains("kills:"), "no kill summary:\n\(text)")
    }

    /// Two trees electing on one Lease: kills of the leader's and the standby's whole tree and
    /// of single workers in both; the killed tree comes back as a new pod, so the standby takes
    /// over. Counted by what the killed tree was (`leader …` / `standby …` in the summary).
    @Test func everyRunKeepsItsPromiseWithTwoReplicasUnderKills() async throws {
        let chaos = try Paths.product("omjob-chaos")
        let directory = try Paths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let output = try await HelperProgram.run(
            [
                chaos, "--replicas", "2", "--runs", "150", "--in-flight", "40", "--seed", "11",
                "--kill-every", "1.5", "--tree-kills", "2", "--settle", "300",
            ], in: directory)
        let text = output.stdout + output.stderr
        #expect(output.status == 0, "omjob-chaos exited \(output.status):\n\(text)")
        #expect(text.contains("violations:  0"), "\(text)")
        #expect(text.contains("2 replica(s)"), "\(text)")
        #expect(text.contains("standby "), "no kill in the standby:\n\(text)")
    }
}
