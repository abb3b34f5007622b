import Foundation
import KubeJSON
import KubeSim
import Testing

@testable import Shared

/// The issue's "must show" client behaviours against kubesim over real sockets. Faults kubesim
/// serves through its interceptor hook (429, 500); the rest is kubesim's own behaviour.
@Suite struct KubeSimClientTests {
    @Test func tlsCAFileBearerTokenFileRotationAndWrongCA() async throws {
        let certs = try TestCertificates()
        defer { certs.remove() }
        let harness = try await SimHarness(tls: certs)
        let tokenPath = certs.directory + "/token"
        try "stale-token".write(toFile: tokenPath, atomically: true, encoding: .utf8)
        let client = harness.client(
            tls: TLSOptions(certificateAuthority: .file(certs.caCert)), credentials: .tokenFile(tokenPath))

        var first: KubeError?
        do { _ = try await client.list(OMJob.self, namespace: "default") } catch { first = error }
        #expect(first?.code == 401, "the stale token is refused")
        try "sim-token".write(toFile: tokenPath, atomically: true, encoding: .utf8)
        let list = try await client.list(OMJob.self, namespace: "default")
        #expect(list.items.isEmpty, "the rotated token is read and accepted on the next request")

        let wrong = harness.client(
            tls: TLSOptions(certificateAuthority: .file(certs.otherCACert)), credentials: .tokenFile(tokenPath))
        var refused: KubeError?
        do { _ = try await wrong.list(OMJob.self, namespace: "default") } catch { refused = error }
        guard case .transport(let transport)? = refused else {
            Issue.record("expected a TLS refusal, got \(String(describing: refused))")
            return
        }
        #expect(transport.kind == .tls)
        try await harness.finish(client, wrong)
    }

    @Test func paginationOverMoreObjectsThanOnePage() async throws {
        let harness = try await SimHarness()
        for i in 0..<25 {
            _ = try harness.sim.store.create(
                SimHarness.omjobs, namespace: "default", object: SimHarness.omjob("run-\(i)"))
        }
        let recorder = RequestRecorder()
        harness.sim.interceptor = {
            recorder.record($0)
            return nil
        }
        let client = harness.client()
        let list = try await client.list(OMJob.self, namespace: "default", options: Shared.ListOptions(limit: 10))
        #expect(Set(list.items.compactMap(\.metadata.name)) == Set((0..<25).map { "run-\($0)" }))
        #expect(list.items.count == 25)
        #expect(recorder.count == 3, "three pages of at most 10")
        try await harness.finish(client)
    }

    @Test func retryAfterOf429IsHonouredAsMeasuredByTheServer() async throws {
        let harness = try await SimHarness()
        let recorder = RequestRecorder()
        harness.sim.interceptor = { request in
            recorder.record(request)
            return recorder.count == 1 ? .respond(.tooManyRequests(retryAfterSeconds: 1)) : nil
        }
        let client = harness.client()
        _ = try await client.list(OMJob.self, namespace: "default")
        let times = recorder.seen.withLock { $0.map(\.time) }
        #expect(times.count == 2)
        #expect(times[1] - times[0] >= .milliseconds(990), "retried \(times[1] - times[0]) after a Retry-After of 1 s")
        try await harness.finish(client)
    }

    @Test func serverErrorsAreRetried() async throws {
        let harness = try await SimHarness()
        let recorder = RequestRecorder()
        harness.sim.interceptor = { request in
            recorder.record(request)
            return recorder.count <= 2 ? .respond(.internalError("injected")) : nil
        }
        let client = harness.client()
        let created = try await client.create(
            SimHarness.omjob("retried"), resource: OMJob.resourceType, namespace: "default", name: "retried")
        #expect(created["metadata"]?["uid"]?.stringValue?.isEmpty == false)
        #expect(recorder.count == 3)
        try await harness.finish(client)
    }

    @Test func invalidObjectIsNotRetriedAndItsCausesSurface() async throws {
        let harness = try await SimHarness()
        let recorder = RequestRecorder()
        harness.sim.interceptor = {
            recorder.record($0)
            return nil
        }
        let client = harness.client()
        var failure: KubeError?
        do {
            _ = try await client.create(
                SimHarness.omjob("bad", image: nil), resource: OMJob.resourceType, namespace: "default", name: "bad")
        } catch { failure = error }
        #expect(failure?.code == 422)
        #expect(failure?.reason == "Invalid")
        #expect(
            failure?.causes.contains { ($0.field ?? "").contains("image") } == true, "causes: \(failure?.causes ?? [])")
        #expect(recorder.count == 1)
        try await harness.finish(client)
    }
}
