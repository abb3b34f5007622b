import Foundation
import KubeJSON
import Testing

@testable import HTTPTransport
@testable import UVLoop

/// The libcurl transport over real sockets against Fixtures/scripted_server.py.
@Suite(.timeLimit(.minutes(2))) struct HTTPClientTests {
    @Test func sendsMethodHeadersAndBodyAndReusesTheConnection() async throws {
        let server = try ScriptedServer()
        defer { server.stop() }
        let thread = try LoopThread()
        let client = HTTPClient(executor: thread.executor)
        let body = Data(#"{"a":1}"#.utf8)
        let first = try await client.send(
            HTTPRequest(method: "PUT", url: "\(server.baseURL)/x?y=1", headers: [("X-Test", "yes")], body: body))
        let second = try await client.send(HTTPRequest(url: "\(server.baseURL)/z"))
        let echo1 = try JSONDecoder().decode(JSONValue.self, from: first.body)
        let echo2 = try JSONDecoder().decode(JSONValue.self, from: second.body)
        #expect(first.status == 200)
        #expect(echo1["method"] == "PUT")
        #expect(echo1["path"] == "/x?y=1")
        #expect(echo1[path: ["headers", "X-Test"]] == "yes")
        #expect(echo1["body"] == .string(#"{"a":1}"#))
        #expect(echo2["method"] == "GET")
        // Header names lowercased, values without the surrounding blanks and line ending.
        #expect(first.head.headers["content-type"] == "application/json")
        #expect(first.head.headers["content-length"] == String(first.body.count))
        #expect(echo1["peer"] == echo2["peer"], "the second request reused the first connection")
        await client.shutdown()
        thread.stopAndWait()
    }

    @Test func streamsLinesInOrderAndEndsCleanly() async throws {
        let server = try ScriptedServer()
        defer { server.stop() }
        let thread = try LoopThread()
        let client = HTTPClient(executor: thread.executor)
        let lines: [JSONValue] = (1...50).map { .string("line \($0)") }
        try await server.script([["lines": .array(lines)]], client: client)
        let stream = try await client.streamLines(HTTPRequest(url: "\(server.baseURL)/watch", timeout: nil))
        var received: [String] = []
        for try await batch in stream.lines { received += batch.map { String(decoding: $0, as: UTF8.self) } }
        #expect(stream.head.status == 200)
        #expect(received == (1...50).map { "line \($0)" })
        await client.shutdown()
        thread.stopAndWait()
    }

    @Test func aCutStreamThrowsAConnectionErrorAfterTheLinesItCarried() async throws {
        let server = try ScriptedServer()
        defer { server.stop() }
        let thread = try LoopThread()
        let client = HTTPClient(executor: thread.executor)
        try await server.script([["lines": ["a", "b"], "end": "cut"]], client: client)
        let stream = try await client.streamLines(HTTPRequest(url: "\(server.baseURL)/watch", timeout: nil))
        var received: [String] = []
        var failure: TransportError?
        do {
            for try await batch in stream.lines { received += batch.map { String(decoding: $0, as: UTF8.self) } }
        } catch let error as TransportError { failure = error }
        #expect(received == ["a", "b"])
        #expect(failure?.kind == .connection)
        await client.shutdown()
        thread.stopAndWait()
    }

    @Test func refusedConnectionIsAConnectionError() async throws {
        let thread = try LoopThread()
        let client = HTTPClient(executor: thread.executor)
        // Port 1 on loopback: nothing listens there and binding it needs root, so it stays closed.
        await #expect(throws: TransportError.self) {
            do { _ = try await client.send(HTTPRequest(url: "http://127.0.0.1:1/")) } catch let error as TransportError
            {
                #expect(error.kind == .connection)
                throw error
            }
        }
        await client.shutdown()
        thread.stopAndWait()
    }

    @Test func tlsWithTheRightCAFileSucceedsAndAWrongCAIsRefused() async throws {
        let certs = try TestCertificates()
        defer { certs.remove() }
        let server = try ScriptedServer(tls: certs)
        defer { server.stop() }
        let thread = try LoopThread()
        let good = HTTPClient(executor: thread.executor, tls: TLSOptions(certificateAuthority: .file(certs.caCert)))
        let response = try await good.send(
            HTTPRequest(url: "\(server.baseURL)/secure", headers: [("Authorization", "Bearer t0k3n")]))
        let echo = try JSONDecoder().decode(JSONValue.self, from: response.body)
        #expect(echo[path: ["headers", "Authorization"]] == "Bearer t0k3n")

        let caData = try Data(contentsOf: URL(fileURLWithPath: certs.caCert))
        let inMemory = HTTPClient(executor: thread.executor, tls: TLSOptions(certificateAuthority: .data(caData)))
        #expect(try await inMemory.send(HTTPRequest(url: "\(server.baseURL)/secure")).status == 200)

        let wrong = HTTPClient(
            executor: thread.executor, tls: TLSOptions(certificateAuthority: .file(certs.otherCACert)))
        var failure: TransportError?
        do { _ = try await wrong.send(HTTPRequest(url: "\(server.baseURL)/secure")) } catch let error as TransportError
        { failure = error }
        #expect(failure?.kind == .tls)
        #expect(try await server.log(client: good).count == 2, "the refused client never got a request through")
        for client in [good, inMemory, wrong] { await client.shutdown() }
        thread.stopAndWait()
    }

    @Test func droppingAStreamCancelsItsTransfer() async throws {
        let server = try ScriptedServer()
        defer { server.stop() }
        let thread = try LoopThread()
        let client = HTTPClient(executor: thread.executor)
        try await server.script([["lines": ["first"], "end": "hold"]], client: client)
        do {
            let stream = try await client.streamLines(HTTPRequest(url: "\(server.baseURL)/watch", timeout: nil))
            for try await batch in stream.lines {
                #expect(batch.map { String(decoding: $0, as: UTF8.self) } == ["first"])
                break
            }
        }
        var waited = 0
        while await client.inFlight > 0, waited < 500 {
            try await Task.sleep(for: .milliseconds(10))
            waited += 1
        }
        #expect(await client.inFlight == 0, "the held-open transfer was cancelled when its stream was dropped")
        await client.shutdown()
        thread.stopAndWait()
    }

    /// Also the regression test of a stall under load: a resume waited on a libcurl timer that
    /// libuv could fire too early (see `CurlMulti.resume` and `timerFired`); the consumer here
    /// pauses the transfer many times, and the time limit turns a stall into a failure.
    @Test(.timeLimit(.minutes(1))) func aSlowConsumerPausesTheTransferAndStillGetsEveryLineInOrder() async throws {
        let server = try ScriptedServer()
        defer { server.stop() }
        let thread = try LoopThread()
        let client = HTTPClient(executor: thread.executor)
        let pad = String(repeating: "x", count: 1000)
        try await server.script([["lines": .array((0..<3000).map { .string("\($0) \(pad)") })]], client: client)
        let stream = try await client.streamLines(HTTPRequest(url: "\(server.baseURL)/watch", timeout: nil))
        var received = 0
        var inOrder = true
        var batches = 0
        for try await batch in stream.lines {
            if received == 0 { try await Task.sleep(for: .milliseconds(300)) }  // let the producer run ahead
            batches += 1
            if batches % 16 == 0 { try await Task.sleep(for: .milliseconds(2)) }  // and again, many times
            for line in batch {
                inOrder = inOrder && String(decoding: line, as: UTF8.self).hasPrefix("\(received) ")
                received += 1
            }
        }
        #expect(received == 3000)
        #expect(inOrder)
        #expect(
            stream.lines.flow.pauseCount > 1, "3 MB against a consumer that sleeps: libcurl was paused, and resumed")
        await client.shutdown()
        thread.stopAndWait()
    }
}
