import Foundation
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
    @Test func everyRunKeepsItsPromiseUnderKillsAndFaults() throws {
        let chaos = try Paths.product("omjob-chaos")
        let directory = try Paths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let outputPath = directory + "/chaos.out"
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: chaos)
        process.arguments = ["--runs", "200", "--in-flight", "40", "--seed", "7", "--kill-every", "1.5",
                             "--tree-kills", "1", "--settle", "300"]
        process.standardOutput = output
        process.standardError = output
        try process.run()
        // Bounds a hang only (the program stops itself well before); SIGTERM makes it kill its tree.
        let deadline = Date().addingTimeInterval(720)
        while process.isRunning, Date() < deadline { usleep(100_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
        }
        process.waitUntilExit()
        try output.close()
        let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        #expect(process.terminationStatus == 0, "omjob-chaos exited \(process.terminationStatus):\n\(text)")
        #expect(text.contains("violations:  0"), "\(text)")
        #expect(text.contains("kills:"), "no kill summary:\n\(text)")
    }
}
