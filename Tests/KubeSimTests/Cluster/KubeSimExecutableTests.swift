import Foundation
import KubeJSON
import Spawn
import Testing

@testable import KubeSim

#if canImport(Glibc)
    import Glibc
#endif

/// The real `kubesim` executable with `--local-runtime`: a pod's command runs, its log is
/// served, SIGTERM stops kubesim cleanly; a bad flag is refused naming the flag.
@Suite struct KubeSimExecutableTests {
    static var binary: String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/kubesim").path
    }

    /// SpawnedProcess, not Process: see SpawnedProcess for the descriptor-count crash.
    static func launch(_ arguments: [String], output: URL) throws -> SpawnedProcess {
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        return try SpawnedProcess(
            executable: binary, arguments: arguments, environment: ProcessInfo.processInfo.environment,
            stdout: .file(output.path), stderr: .file(output.path))
    }

    @Test(
        .enabled(
            if: FileManager.default.isExecutableFile(atPath: binary), "build the kubesim product first (swift build)"))
    func localRuntimeRunsAPodAndStopsCleanly() async throws {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent(
            "kubesim-exe-\(UUID().uuidString).log")
        defer { try? FileManager.default.removeItem(at: output) }
        let process = try Self.launch(["--port", "0", "--local-runtime"], output: output)
        defer {
            if process.isRunning {
                process.signal(SIGKILL)
                process.waitUntilExit()
            }
        }
        var port = 0
        #expect(
            try await eventually {
                let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
                port =
                    text.split(separator: "\n").first { $0.hasPrefix("kubesim: serving http://127.0.0.1:") }
                    .flatMap { Int($0.split(separator: ":").last ?? "") } ?? 0
                return port > 0
            })
        let client = try await SimHTTPClient.connect(port: port)
        var pod = endingPod()
        pod.set(
            ["spec", "containers"],
            [["name": "main", "image": "busybox:1.36", "command": ["sh", "-c", "echo hi from $HOSTNAME"]]])
        #expect(try await client.send("POST", "/api/v1/namespaces/default/pods", json: pod).status == 201)
        var phase = ""
        for _ in 0..<500 where phase != "Succeeded" && phase != "Failed" {
            phase = try await client.send("GET", "/api/v1/namespaces/default/pods/p").json.str("status", "phase") ?? ""
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(phase == "Succeeded")
        #expect(try await client.send("GET", "/api/v1/namespaces/default/pods/p/log").text == "hi from p\n")
        await client.close()
        process.signal(SIGTERM)
        #expect(process.waitUntilExit() == .exited(0))
        let log = try String(contentsOf: output, encoding: .utf8)
        #expect(log.contains("image ignored"), "the local runtime says images are ignored")
        #expect(log.contains("kubesim: stopped"))
    }

    @Test(
        .enabled(
            if: FileManager.default.isExecutableFile(atPath: binary), "build the kubesim product first (swift build)"))
    func aBadFlagIsRefusedNamingIt() throws {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent(
            "kubesim-exe-\(UUID().uuidString).log")
        defer { try? FileManager.default.removeItem(at: output) }
        let process = try Self.launch(["--port", "0", "--exit-code", "300"], output: output)
        #expect(process.waitUntilExit() != .exited(0))
        #expect(try String(contentsOf: output, encoding: .utf8).contains("--exit-code"))
    }
}
