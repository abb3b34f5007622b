import Foundation
import Spawn

/// Self-signed certificates for TLS tests.
enum TestCertificate {
    /// A throwaway certificate made with openssl (nil when openssl is absent).
    static func make() throws -> (String, String)? {
        guard
            let openssl = ["/usr/bin/openssl", "/bin/openssl"].first(where: {
                FileManager.default.isExecutableFile(atPath: $0)
            })
        else { return nil }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "kubesim-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let cert = directory.appendingPathComponent("cert.pem").path
        let key = directory.appendingPathComponent("key.pem").path
        // SpawnedProcess, not Process: see SpawnedProcess for the descriptor-count crash.
        let process = try SpawnedProcess(
            executable: openssl,
            arguments: [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key,
                "-out", cert, "-days", "1", "-subj", "/CN=127.0.0.1",
            ],
            environment: ProcessInfo.processInfo.environment)
        return process.waitUntilExit() == .exited(0) ? (cert, key) : nil
    }
}
