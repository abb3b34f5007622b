import Foundation
import KubeJSON
import KubeSim
import Synchronization
import Testing

@testable import Shared

/// The client speaks HTTP/2 where the server offers it (ALPN `h2` over TLS, as a real API
/// server does), and multiplexes its requests on one connection. What was spoken is read on
/// the server's side: kubesim records each request's HTTP version and TCP connection.
@Suite struct HTTP2Tests {
    static let pods = GroupResource(group: "", resource: "pods")

    static func pod(_ name: String) -> JSONValue {
        [
            "apiVersion": "v1", "kind": "Pod",
            "metadata": [
                "name": .string(name), "namespace": "default",
                "labels": ["omjob.pipelines.openmetadata.org/name": "run-1"],
            ],
            "spec": ["restartPolicy": "Never", "containers": [["name": "main", "image": "busybox"]]],
        ]
    }

    @Test(.timeLimit(.minutes(2))) func aGetAWatchAndConcurrentGetsShareOneHTTP2Connection() async throws {
        let certs = try TestCertificates()
        defer { certs.remove() }
        let harness = try await SimHarness(tls: certs)
        let seen = Mutex<[(path: String, transport: RequestTransport)]>([])
        harness.sim.interceptor = { request in
            seen.withLock {
                $0.append((request.path + (request.query["watch"] == "true" ? "?watch" : ""), request.transport))
            }
            return nil
        }
        _ = try harness.sim.store.create(Self.pods, namespace: "default", object: Self.pod("p-0"))
        let client = harness.client(tls: TLSOptions(certificateAuthority: .file(certs.caCert)))

        let first = try await client.get(PodView.self, namespace: "default", name: "p-0")
        #expect(first.metadata.name == "p-0")

        // A watch holds its stream open; on HTTP/1.1 it would hold a whole connection.
        let events = try await client.watch(
            PodView.self, namespace: "default",
            options: WatchOptions(resourceVersion: first.metadata.resourceVersion))
        var iterator = events.makeAsyncIterator()
        _ = try harness.sim.store.create(Self.pods, namespace: "default", object: Self.pod("p-1"))
        guard case .added(let added)? = try await iterator.next() else {
            Issue.record("expected the ADDED event of p-1")
            return try await harness.finish(client)
        }
        #expect(added.metadata.name == "p-1")

        // Eight gets at once while the watch is open.
        let names = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    try await client.get(PodView.self, namespace: "default", name: "p-0").metadata.name ?? ""
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(names == Array(repeating: "p-0", count: 8))

        let requests = seen.withLock { $0 }
        #expect(requests.count == 10, "get, watch, 8 gets: \(requests.map(\.path))")
        #expect(requests.contains { $0.path.hasSuffix("?watch") })
        #expect(requests.allSatisfy { $0.transport.httpVersion == "2.0" }, "\(requests.map(\.transport))")
        #expect(
            Set(requests.map(\.transport.connection)).count == 1,
            "one multiplexed connection: \(requests.map(\.transport.connection))")
        try await harness.finish(client)
    }

    @Test(.timeLimit(.minutes(1))) func theTransportReportsTheNegotiatedVersion() async throws {
        let certs = try TestCertificates()
        defer { certs.remove() }
        let harness = try await SimHarness(token: nil, tls: certs)
        let plain = try await SimHarness(token: nil)
        let http = HTTPClient(
            executor: harness.thread.executor, tls: TLSOptions(certificateAuthority: .file(certs.caCert)))
        let overTLS = try await http.send(HTTPRequest(url: "\(harness.sim.baseURL)/version"))
        let cleartext = try await http.send(HTTPRequest(url: "\(plain.sim.baseURL)/version"))
        #expect(overTLS.status == 200 && cleartext.status == 200)
        #expect(overTLS.head.httpVersion == "2", "ALPN h2 over TLS")
        #expect(cleartext.head.httpVersion == "1.1", "no h2 without TLS (no prior-knowledge upgrade)")
        await http.shutdown()
        try await plain.finish()
        try await harness.finish()
    }
}
