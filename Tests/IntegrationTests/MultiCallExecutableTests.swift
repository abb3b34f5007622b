import Foundation
import KubeJSON
import TestSupport
import Testing

/// The image holds one executable, `omjob`, and a link to it per role (scripts/build-release.sh):
/// started as `omjob-supervisor`, it must start its workers through the links beside it and each
/// must run its own role.
@Suite(.timeLimit(.minutes(3))) struct MultiCallExecutableTests {
    static let roles = ["omjob-supervisor", "omjob-watcher", "omjob-executor", "omjob-gc"]

    @Test func theRoleLinksOfOneExecutableRunARunToItsEnd() async throws {
        let image = try Self.imageLayout()
        defer { try? FileManager.default.removeItem(atPath: image) }
        try await OperatorUnderTest.run(supervisor: image + "/omjob-supervisor") { op in
            try op.create(OperatorUnderTest.omJob("multi"))
            _ = try await op.waitForPod("multi-main")
            try op.setRunning("multi-main")
            try op.terminate("multi-main", exitCode: 0, reason: "Completed")
            let exit = try await op.waitForExitPod(of: "multi")
            try op.finishExitHandler(exit)
            try await op.expectEnded("multi", phase: "Succeeded", reason: "Completed", pipelineStatus: "success")

            let port = try await eventually("health port") { op.healthPort() }
            let info = try JSONDecoder().decode(
                JSONValue.self, from: Data(try LoopbackHTTP.get(port: port, path: "/info").body.utf8))
            let children = info["children"]?.arrayValue ?? []
            #expect(Set(children.compactMap { $0["role"]?.stringValue }) == ["watcher", "executor", "gc"])
            for child in children {
                let pid = Int(child["pid"]?.intValue ?? 0)
                // Every worker is the one program, started through its role's link.
                #expect(Self.executable(ofPID: pid) == image + "/omjob", "\(child)")
                let role = child["role"]?.stringValue ?? "?"
                #expect(Self.commandName(ofPID: pid) == "omjob-\(role)", "\(child)")
            }
        }
    }

    /// A directory laid out like the image's /usr/local/bin: `omjob` and the four links to it.
    static func imageLayout() throws -> String {
        let directory = URL(fileURLWithPath: try Paths.temporaryDirectory()).standardizedFileURL.path  // as /proc shows it
        let program = try Paths.product("omjob")
        // A hard link when the file system allows it (no copy of a large binary), else a copy.
        if link(program, directory + "/omjob") != 0 {
            try FileManager.default.copyItem(atPath: program, toPath: directory + "/omjob")
        }
        for role in roles {
            try FileManager.default.createSymbolicLink(atPath: directory + "/" + role, withDestinationPath: "omjob")
        }
        return directory
    }

    static func executable(ofPID pid: Int) -> String? {
        try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/exe")
    }

    /// The kernel's name of the process: the base name of the path it was executed as.
    static func commandName(ofPID pid: Int) -> String? {
        (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8))?.trimmingCharacters(
            in: .whitespacesAndNewlines)
    }
}
