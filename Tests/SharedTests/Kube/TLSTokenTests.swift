import Foundation
import KubeJSON
import Testing

@testable import Shared

/// TLS with a CA file and a bearer token from a file, over a real TLS server; the token file
/// rotates between two requests. (Against the scripted server until kubesim's TLS lands.)
@Suite struct TLSTokenTests {
    @Test func caFileAndRotatingTokenFile() async throws {
        let certs = try TestCertificates()
        defer { certs.remove() }
        let server = try ScriptedServer(tls: certs)
        defer { server.stop() }
        let tokenPath = certs.directory + "/token"
        try "token-one".write(toFile: tokenPath, atomically: true, encoding: .utf8)
        let thread = try LoopThread()
        let config = ClusterConfiguration(
            server: server.baseURL, tls: TLSOptions(certificateAuthority: .file(certs.caCert)),
            credentials: .tokenFile(tokenPath))
        let client = KubeClient(configuration: config, executor: thread.executor)
        _ = try await client.get(JSONValue.self, resource: Widget.resourceType, namespace: "ns", name: "a")
        try "token-two".write(toFile: tokenPath, atomically: true, encoding: .utf8)
        _ = try await client.get(JSONValue.self, resource: Widget.resourceType, namespace: "ns", name: "a")
        let log = try await server.log(client: client.http)
        #expect(log.map { $0[path: ["headers", "Authorization"]] } == ["Bearer token-one", "Bearer token-two"])

        let wrong = KubeClient(
            configuration: ClusterConfiguration(
                server: server.baseURL, tls: TLSOptions(certificateAuthority: .file(certs.otherCACert)),
                credentials: .tokenFile(tokenPath)), executor: thread.executor)
        var failure: KubeError?
        do { _ = try await wrong.get(JSONValue.self, resource: Widget.resourceType, namespace: "ns", name: "a") } catch
        { failure = error }
        #expect(failure?.disposition == .permanent, "a CA mismatch is refused and not retried")
        if case .transport(let error)? = failure {
            #expect(error.kind == .tls)
        } else {
            Issue.record("expected a TLS failure, got \(String(describing: failure))")
        }
        await client.http.shutdown()
        await wrong.http.shutdown()
        thread.stopAndWait()
    }
}
