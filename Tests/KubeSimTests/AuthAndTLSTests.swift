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
        guard let (cert, key) = try TestCertificate.make() else {
            print("AuthAndTLSTests: openssl not found, TLS test skipped")
            return
        }
        let sim = try await KubeSimServer.start(
            .init(token: "t", tlsCertificatePath: cert, tlsKeyPath: key, threads: 1))
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
            try await KubeSimServer.start(
                .init(tlsCertificatePath: "/nonexistent.pem", tlsKeyPath: "/nonexistent.key", threads: 1))
        }
    }
}
