import Foundation
import KubeJSON
import Testing
@testable import KubeSim

@Suite struct AuthAndTLSTests {
    @Test func tokenIsRequiredWhenConfigured() async throws {
        try await withSim(.init(token: "s3cret", threads: 1)) { sim, client in
            #expect(try await client.send("GET", "/api/v1/namespaces").status == 200)
            let anonymous = try await SimHTTPClient.connect(port: sim.port)
            let denied = try await anonymous.send("GET", "/api/v1/namespaces")
            let wrong = try await anonymous.send("GET", "/version", headers: [("Authorization", "Bearer nope")])
            await anonymous.close()
            #expect(denied.status == 401)
            #expect(denied.json.str("reason") == "Unauthorized")
            #expect(denied.json.str("kind") == "Status")
            #expect(wrong.status == 401)
        }
    }

    @Test func servesHTTPSWithGivenCertificate() async throws {
        guard let (cert, key) = try makeSelfSignedCertificate() else {
            print("AuthAndTLSTests: openssl not found, TLS test skipped")
            return
        }
        let sim = try await KubeSimServer.start(.init(token: "t", tlsCertificatePath: cert, tlsKeyPath: key, threads: 1))
        do {
            #expect(sim.baseURL.hasPrefix("https://"))
            let client = try await SimHTTPClient.connect(port: sim.port, token: "t", tls: true)
            let version = try await client.send("GET", "/version")
            await client.close()
            #expect(version.status == 200)
            #expect(version.json.str("gitVersion") == Discovery.gitVersion)
        } catch {
            try? await sim.shutdown()
            throw error
        }
        try await sim.shutdown()
    }

    @Test func missingCertificateFileIsASetupErrorNamingTheSetting() async throws {
        await #expect(throws: KubeSimSetupError.self) {
            try await KubeSimServer.start(.init(tlsCertificatePath: "/nonexistent.pem", tlsKeyPath: "/nonexistent.key", threads: 1))
        }
    }

    /// A throwaway certificate made with openssl (nil when openssl is absent).
    private func makeSelfSignedCertificate() throws -> (String, String)? {
        guard let openssl = ["/usr/bin/openssl", "/bin/openssl"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else { return nil }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kubesim-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let cert = directory.appendingPathComponent("cert.pem").path
        let key = directory.appendingPathComponent("key.pem").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: openssl)
        process.arguments = ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=127.0.0.1"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus == 0 ? (cert, key) : nil
    }
}
