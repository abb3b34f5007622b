import Foundation
import KubeJSON
import Spawn

@testable import Shared

/// The Fixtures/scripted_server.py process: a real HTTP(S) server on an ephemeral port that
/// answers with canned responses and logs requests. Killed (stdin closed) by `stop()`.
final class ScriptedServer: Sendable {
    let port: Int
    let scheme: String
    private let process: SpawnedProcess

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures")

    init(tls: TestCertificates? = nil) throws {
        // SpawnedProcess, not Process: see SpawnedProcess for the descriptor-count crash.
        process = try SpawnedProcess(
            executable: "/usr/bin/env",
            arguments: ["python3", Self.fixtures.appendingPathComponent("scripted_server.py").path]
                + (tls.map { [$0.serverCert, $0.serverKey] } ?? []),
            environment: ProcessInfo.processInfo.environment, stdin: .pipe, stdout: .pipe)
        var line = Data()
        while let byte = try process.stdoutReader!.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) {
            line.append(byte)
        }
        guard let port = Int(String(decoding: line, as: UTF8.self)) else {
            throw TransportError(kind: .other, message: "scripted server did not start")
        }
        self.port = port
        self.scheme = tls == nil ? "http" : "https"
    }

    var baseURL: String { "\(scheme)://127.0.0.1:\(port)" }

    func stop() {
        try? process.stdinWriter!.close()
        process.waitUntilExit()
    }

    /// Appends canned responses; the next requests get them in order.
    func script(_ responses: [JSONValue], client: HTTPClient) async throws {
        let body = try JSONEncoder().encode(JSONValue.array(responses))
        let response = try await client.send(HTTPRequest(method: "POST", url: "\(baseURL)/_control/script", body: body))
        precondition(response.status == 200)
    }

    /// Every request the server has answered (control requests excluded).
    func log(client: HTTPClient) async throws -> [JSONValue] {
        let response = try await client.send(HTTPRequest(url: "\(baseURL)/_control/log"))
        return try JSONDecoder().decode(JSONValue.self, from: response.body).arrayValue ?? []
    }
}

/// A throw-away CA, a server certificate for 127.0.0.1 signed by it, and an unrelated CA,
/// made with the openssl CLI in a temporary directory.
struct TestCertificates: Sendable {
    let directory: String
    var caCert: String { directory + "/ca.crt" }
    var otherCACert: String { directory + "/other-ca.crt" }
    var serverCert: String { directory + "/server.crt" }
    var serverKey: String { directory + "/server.key" }

    init() throws {
        directory = NSTemporaryDirectory() + "shared-tls-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        try openssl(
            ["req", "-x509"] + ec + ["-keyout", "ca.key", "-out", "ca.crt", "-days", "1", "-subj", "/CN=test-ca"])
        try openssl(
            ["req", "-x509"] + ec + [
                "-keyout", "other-ca.key", "-out", "other-ca.crt", "-days", "1", "-subj", "/CN=other-ca",
            ])
        try openssl(["req"] + ec + ["-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1"])
        try "subjectAltName=IP:127.0.0.1\n".write(toFile: directory + "/san.ext", atomically: true, encoding: .utf8)
        try openssl([
            "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
            "-out", "server.crt", "-days", "1", "-extfile", "san.ext",
        ])
    }

    func remove() { try? FileManager.default.removeItem(atPath: directory) }

    private func openssl(_ arguments: [String]) throws {
        let process = try SpawnedProcess(
            executable: "/usr/bin/openssl", arguments: arguments,
            environment: ProcessInfo.processInfo.environment, directory: directory)
        guard process.waitUntilExit() == .exited(0) else {
            throw TransportError(kind: .other, message: "openssl \(arguments.first ?? "") failed")
        }
    }
}
