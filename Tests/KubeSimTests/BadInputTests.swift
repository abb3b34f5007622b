import KubeJSON
import Testing

@testable import KubeSim

@Suite(.timeLimit(.minutes(2))) struct BadInputTests {
    @Test func malformedJSONIsBadRequestAndTheConnectionKeepsServing() async throws {
        try await withSim { _, client in
            let bad = try await client.send(
                "POST", "/api/v1/namespaces/default/pods", body: Array("{\"metadata\": ".utf8))
            #expect(bad.status == 400)
            #expect(bad.json.str("reason") == "BadRequest")
            #expect(
                bad.json.str("message")?.hasPrefix(
                    "the object provided is unrecognized (must be of type Pod): couldn't get version/kind; json parse error"
                ) == true)
            #expect(try await client.send("GET", "/api/v1/namespaces/default/pods").status == 200)
        }
    }

    /// As the real server (tests/differential/test_json_text.py): a body nested 10,000 levels deep
    /// is read, on the server's event loop, and one level more is 400.
    @Test func bodiesNestedTenThousandLevelsAreReadAndDeeperOnesAre400() async throws {
        try await withSim { _, client in
            func pod(_ name: String, nesting depth: Int) -> [UInt8] {
                var text = Fixture.pod(name).jsonBytes()
                text.removeLast()
                text += Array(#","x":"#.utf8) + Array(repeating: UInt8(ascii: "["), count: depth)
                text += Array(repeating: UInt8(ascii: "]"), count: depth) + [UInt8(ascii: "}")]
                return text
            }
            let deepest = try await client.send(
                "POST", "/api/v1/namespaces/default/pods", body: pod("a", nesting: 9_999))
            #expect(deepest.status == 201, "\(deepest.text.prefix(300))")
            let deeper = try await client.send(
                "POST", "/api/v1/namespaces/default/pods", body: pod("b", nesting: 10_000))
            #expect(deeper.status == 400)
            #expect(
                deeper.json.str("message")?.hasPrefix(
                    "the object provided is unrecognized (must be of type Pod): couldn't get version/kind; json parse error"
                ) == true)
        }
    }

    /// As the real server: invalid UTF-8 and lone surrogates in a string read as U+FFFD.
    @Test func invalidUnicodeInABodyReadsAsTheReplacementCharacter() async throws {
        try await withSim { _, client in
            var pod = Fixture.pod("p")
            pod.set(["metadata", "annotations"], ["a": "@", "b": "@@"])
            var text = pod.jsonBytes()
            text.replace(Array(#""@""#.utf8), with: [UInt8(ascii: "\""), 0x78, 0xFF, 0x79, UInt8(ascii: "\"")])
            text.replace(Array(#""@@""#.utf8), with: Array(#""x\ud800y\udc00""#.utf8))
            let created = try await client.send("POST", "/api/v1/namespaces/default/pods", body: text)
            #expect(created.status == 201, "\(created.text.prefix(300))")
            #expect(created.json.str("metadata", "annotations", "a") == "x\u{FFFD}y")
            #expect(created.json.str("metadata", "annotations", "b") == "x\u{FFFD}y\u{FFFD}")
        }
    }

    @Test func wrongContentTypeIs415() async throws {
        try await withSim { _, client in
            let response = try await client.send(
                "POST", "/api/v1/namespaces/default/pods", body: Array("x".utf8), contentType: "text/plain")
            #expect(response.status == 415)
            #expect(response.json.str("reason") == "UnsupportedMediaType")
            let patch = try await client.send(
                "PATCH", "/api/v1/namespaces/default/pods/p", body: Array("{}".utf8), contentType: "application/json")
            #expect(patch.status == 415)
        }
    }

    @Test(arguments: [
        "/api/v1/widgets", "/apis/nope.io/v1/things", "/apis/test.kubesim.io/v2/widgets",
        "/api/v1/namespaces/default/pods/p/exec/x", "/nothing",
    ])
    func unknownPathsAre404Status(_ path: String) async throws {
        try await withSim { _, client in
            let response = try await client.send("GET", path)
            #expect(response.status == 404)
            #expect(response.json.str("kind") == "Status")
            #expect(response.json.str("reason") == "NotFound")
        }
    }

    @Test func wrongVerbIsMethodNotAllowed() async throws {
        try await withSim { _, client in
            let response = try await client.send("POST", "/api/v1/namespaces/default/pods/p", json: Fixture.pod("p"))
            #expect(response.status == 405)
            #expect(response.json.str("reason") == "MethodNotAllowed")
        }
    }

    @Test func oversizedBodyIs413AndOthersKeepBeingServed() async throws {
        try await withSim { sim, client in
            let big = Array(repeating: UInt8(ascii: " "), count: 3 * 1024 * 1024 + 1)
            let response = try await client.send("POST", "/api/v1/namespaces/default/pods", body: big)
            #expect(response.status == 413)
            #expect(response.json.str("reason") == "RequestEntityTooLarge")
            let other = try await SimHTTPClient.connect(port: sim.port)
            #expect(try await other.send("GET", "/version").status == 200)
            await other.close()
        }
    }

    @Test func kindMismatchIsBadRequest() async throws {
        try await withSim { _, client in
            var pod = Fixture.pod("p")
            pod["kind"] = "Service"
            let response = try await client.send("POST", "/api/v1/namespaces/default/pods", json: pod)
            #expect(response.status == 400)
        }
    }

    @Test func interceptorCanAnswerTooManyRequestsAndInternalError() async throws {
        try await withSim { sim, client in
            sim.interceptor = { request in
                if request.path.hasSuffix("/pods") { return .respond(.tooManyRequests(retryAfterSeconds: 2)) }
                if request.path.hasSuffix("/events") { return .respond(.internalError("injected")) }
                return nil
            }
            let throttled = try await client.send("GET", "/api/v1/namespaces/default/pods")
            #expect(throttled.status == 429)
            #expect(throttled.headers["retry-after"] == "2")
            #expect(throttled.json.str("reason") == "TooManyRequests")
            #expect(throttled.json["details"]?["retryAfterSeconds"] == 2)
            let failed = try await client.send("GET", "/api/v1/namespaces/default/events")
            #expect(failed.status == 500 && failed.json.str("reason") == "InternalError")
            sim.interceptor = nil
            #expect(try await client.send("GET", "/api/v1/namespaces/default/pods").status == 200)
        }
    }

    @Test func dryRunIsRefusedRatherThanPersisted() async throws {
        try await withSim { sim, client in
            let response = try await client.send(
                "POST", "/api/v1/namespaces/default/pods?dryRun=All", json: Fixture.pod("p"))
            #expect(response.status == 400)
            #expect(try sim.store.list(.pods, namespace: "default").items.isEmpty)
        }
    }
}
