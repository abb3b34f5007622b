import KubeAPI
import Testing

@testable import Supervisor

/// Requests through libhttp-parser, in any split, and the health routes over snapshots.
@Suite struct HTTPTests {
    @Test(arguments: [1, 3, 1000])
    func parsesSplitRequest(chunk: Int) throws {
        let wire = Array("GET /metrics?x=1 HTTP/1.1\r\nHost: a\r\nUser-Agent: kubelet\r\n\r\n".utf8)
        let parser = HTTPRequestParser()
        var head: HTTPRequestHead?
        var index = 0
        while index < wire.count {
            let end = min(index + chunk, wire.count)
            head = try parser.feed(Array(wire[index..<end]))
            index = end
            if index < wire.count { #expect(head == nil) }
        }
        #expect(head == HTTPRequestHead(method: "GET", path: "/metrics"))
    }

    @Test(arguments: ["NOT HTTP\r\n\r\n", "GET / HTTP/1.1\r\nContent-Length: x\r\n\r\n", "\u{0}\u{1}"])
    func rejectsGarbage(text: String) {
        #expect(throws: HTTPParseError.self) { try HTTPRequestParser().feed(Array(text.utf8)) }
    }

    @Test func incompleteRequestAtEOFIsAnError() throws {
        let parser = HTTPRequestParser()
        #expect(try parser.feed(Array("GET / HT".utf8)) == nil)
        #expect(throws: HTTPParseError.self) { try parser.finish() }
    }

    func snapshot(problems: [String]) -> HealthSnapshot {
        HealthSnapshot(
            version: "1.2.3", configuration: ["LOG_LEVEL": "INFO"],
            children: [
                .init(id: ChildID(role: "gc"), pid: 7, restarts: 2, uptimeSeconds: 1.5, lastExit: "exited with code 1")
            ], readinessProblems: problems, metricsText: { "m 1\n" })
    }

    @Test(arguments: [
        ("GET", "/health", [String](), 200, "ok\n"), ("GET", "/ready", [], 200, "ready\n"),
        ("GET", "/ready", ["gc-0 is not running"], 503, "gc-0 is not running\n"), ("GET", "/metrics", [], 200, "m 1\n"),
        ("GET", "/nope", [], 404, "not found\n"), ("POST", "/health", [], 405, "only GET\n"),
    ])
    func routes(method: String, path: String, problems: [String], status: Int, body: String) {
        let response = HealthRoutes.respond(
            to: HTTPRequestHead(method: method, path: path), with: snapshot(problems: problems))
        #expect(response.status == status)
        #expect(String(decoding: response.body, as: UTF8.self) == body)
    }

    /// `/ready` stays 200 without an optional permission, its body saying which; a 503 body
    /// lists the unmet conditions only.
    @Test func readyNamesMissingOptionalPermissionsAndStays200() {
        let nodes = Permission("list", "nodes", namespace: nil, required: false, withoutIt: "node loss from the pod")
        var ready = snapshot(problems: [])
        ready.missingPermissions = [nodes]
        let answer = HealthRoutes.respond(to: HTTPRequestHead(method: "GET", path: "/ready"), with: ready)
        #expect(answer.status == 200)
        #expect(
            String(decoding: answer.body, as: UTF8.self)
                == "ready\nmissing optional permission: list nodes (cluster-wide) (node loss from the pod)\n")
        var notReady = snapshot(problems: ["gc-0 is not running"])
        notReady.missingPermissions = [nodes]
        let refused = HealthRoutes.respond(to: HTTPRequestHead(method: "GET", path: "/ready"), with: notReady)
        #expect(refused.status == 503)
        #expect(String(decoding: refused.body, as: UTF8.self) == "gc-0 is not running\n")
    }

    @Test func infoIsJSONWithChildren() throws {
        let response = HealthRoutes.respond(
            to: HTTPRequestHead(method: "GET", path: "/info"), with: snapshot(problems: []))
        let text = String(decoding: response.body, as: UTF8.self)
        #expect(response.contentType == "application/json")
        #expect(
            text.contains(#""version" : "1.2.3""#) && text.contains(#""restarts" : 2"#)
                && text.contains("exited with code 1"))
    }
}
