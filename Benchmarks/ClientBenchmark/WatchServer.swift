import Foundation
import Spawn

/// A one-shot HTTP server in a separate python3 process that sends a prepared response file
/// with sendfile(2): the server costs this process no CPU, so the numbers are the client's.
final class WatchServer {
    let port: Int
    private let process: SpawnedProcess

    private static let script = """
        import socket, sys, os
        s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
        print(s.getsockname()[1], flush=True)
        c, _ = s.accept()
        buf = b""
        while b"\\r\\n\\r\\n" not in buf:
            buf += c.recv(65536)
        with open(sys.argv[1], "rb") as f:
            c.sendfile(f)
        c.shutdown(socket.SHUT_WR); c.close()
        """

    init(responseFile: String) throws {
        process = try SpawnedProcess(
            executable: "/usr/bin/env", arguments: ["python3", "-c", Self.script, responseFile],
            environment: ProcessInfo.processInfo.environment, stdout: .pipe, stderr: .inherit)
        var line = Data()
        while let byte = try process.stdoutReader?.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) {
            line.append(byte)
        }
        port = Int(String(decoding: line, as: UTF8.self)) ?? 0
    }

    func wait() { process.waitUntilExit() }

    /// Writes an HTTP/1.1 response whose body (read until close) is `count` watch lines of
    /// MODIFIED pods with increasing resourceVersions, built from 100 encoded templates.
    static func writeWatchResponse(to path: String, count: Int) throws -> Int {
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let file = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? file.close() }
        file.write(Data("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n".utf8))
        let encoder = JSONEncoder()
        let templates: [(Data, Data)] = try (0..<100).map { i in
            let line = try encoder.encode(
                ["type": "MODIFIED", "object": Fixtures.pod(i, resourceVersion: 999_999_999)] as KubeJSONValue)
            let text = String(decoding: line, as: UTF8.self).components(separatedBy: "999999999")
            return (Data(text[0].utf8), Data(text[1].utf8))
        }
        var bytes = 0
        var chunk = Data()
        for n in 0..<count {
            let (prefix, suffix) = templates[n % templates.count]
            chunk.append(prefix)
            chunk.append(Data(String(1_000_000 + n).utf8))
            chunk.append(suffix)
            chunk.append(0x0A)
            if chunk.count > 4 << 20 || n == count - 1 {
                file.write(chunk)
                bytes += chunk.count
                chunk.removeAll(keepingCapacity: true)
            }
        }
        return bytes
    }
}
