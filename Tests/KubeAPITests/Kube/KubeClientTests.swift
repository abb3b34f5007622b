import Foundation
import KubeJSON
import Testing

@testable import KubeAPI
@testable import Models
@testable import UVLoop

/// A minimal namespaced kind for client tests (the operator's models live elsewhere).
struct Widget: KubernetesObject, Equatable {
    static let resourceType = ResourceType(group: "test.example", version: "v1", kind: "Widget", plural: "widgets")
    var metadata: ObjectMeta
    var size: Int?
}

/// `Widget` with a reader of its own: tells which way it was made.
struct ReadableWidget: KubernetesObject, JSONReadable {
    static let resourceType = Widget.resourceType
    var metadata: ObjectMeta
    /// True when `init(reading:)` made it, false when `Codable` did.
    var readFromBytes: Bool

    private enum CodingKeys: String, CodingKey { case metadata }

    init(from decoder: any Decoder) throws {
        metadata = try decoder.container(keyedBy: CodingKeys.self).decode(ObjectMeta.self, forKey: .metadata)
        readFromBytes = false
    }

    init(reading reader: inout JSONReader) throws(JSONReadError) {
        var metadata = ObjectMeta()
        try reader.readObject { reader, key throws(JSONReadError) in
            if key == "metadata" { metadata = try ObjectMeta(reading: &reader) } else { try reader.skipValue() }
        }
        self.metadata = metadata
        readFromBytes = true
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(metadata, forKey: .metadata)
    }
}

func widgetJSON(_ name: String, rv: Int, size: Int = 1) -> JSONValue {
    [
        "metadata": ["name": .string(name), "namespace": "ns", "resourceVersion": .string(String(rv))],
        "size": .int(Int64(size)),
    ]
}

/// The Kubernetes client's retry, error and pagination behaviour over real sockets, against
/// the scripted server, which answers exactly the sequence each test needs.
@Suite(.timeLimit(.minutes(2))) struct KubeClientTests {
    let server: ScriptedServer
    let thread: LoopThread
    let client: KubeClient

    init() throws {
        server = try ScriptedServer()
        thread = try LoopThread()
        client = KubeClient(
            configuration: ClusterConfiguration(server: server.baseURL, credentials: .token("t")),
            executor: thread.executor,
            retry: RetryPolicy(
                initialBackoff: .milliseconds(20), maxBackoff: .milliseconds(100), deadline: .seconds(120)))
    }

    func finish() async {
        await client.http.shutdown()
        thread.stopAndWait()
        server.stop()
    }

    func status(_ code: Int, _ reason: String, causes: [JSONValue] = []) -> JSONValue {
        [
            "kind": "Status", "status": "Failure", "code": .int(Int64(code)), "reason": .string(reason),
            "message": "scripted",
            "details": ["causes": .array(causes)],
        ]
    }

    @Test func retryAfterIsHonouredAsMeasuredByTheServer() async throws {
        try await server.script(
            [
                ["status": 429, "headers": ["Retry-After": "1"], "body": status(429, "TooManyRequests")],
                ["body": widgetJSON("a", rv: 5)],
            ], client: client.http)
        let widget = try await client.get(Widget.self, namespace: "ns", name: "a")
        #expect(widget.metadata.resourceVersion == "5")
        let log = try await server.log(client: client.http)
        #expect(log.count == 2)
        let gap = (log[1]["time"].flatMap(\.doubleValue) ?? 0) - (log[0]["time"].flatMap(\.doubleValue) ?? 0)
        #expect(gap >= 0.95, "the retry came \(gap)s after the 429, Retry-After said 1s")
        await finish()
    }

    @Test func serverErrorsAreRetriedUntilSuccess() async throws {
        try await server.script(
            [
                ["status": 503, "body": status(503, "ServiceUnavailable")],
                ["status": 500, "body": "plain text from a proxy"],
                ["body": widgetJSON("a", rv: 7)],
            ], client: client.http)
        let widget = try await client.get(Widget.self, namespace: "ns", name: "a")
        #expect(widget.metadata.resourceVersion == "7")
        #expect(try await server.log(client: client.http).count == 3)
        await finish()
    }

    @Test func invalidIsNotRetriedAndSurfacesItsCauses() async throws {
        let cause: JSONValue = ["reason": "FieldValueRequired", "message": "Required value", "field": "spec.image"]
        try await server.script(
            [["status": 422, "body": status(422, "Invalid", causes: [cause])]], client: client.http)
        var failure: KubeError?
        do { _ = try await client.create(Widget(metadata: ObjectMeta(name: "a", namespace: "ns"))) } catch {
            failure = error
        }
        #expect(failure?.code == 422)
        #expect(failure?.reason == "Invalid")
        #expect(
            failure?.causes == [
                StatusCause(reason: "FieldValueRequired", message: "Required value", field: "spec.image")
            ])
        #expect(try await server.log(client: client.http).count == 1, "a 422 is sent once")
        await finish()
    }

    @Test func aCreateRetriedAfterA5xxResolvesItsOwn409ByReading() async throws {
        try await server.script(
            [
                ["status": 504, "body": status(504, "Timeout")],
                ["status": 409, "body": status(409, "AlreadyExists")],
                ["body": widgetJSON("a", rv: 9, size: 3)],
            ], client: client.http)
        let created = try await client.create(Widget(metadata: ObjectMeta(name: "a", namespace: "ns"), size: 3))
        #expect(created.metadata.resourceVersion == "9")
        let log = try await server.log(client: client.http)
        #expect(log.map { $0["method"] } == ["POST", "POST", "GET"])
        #expect(log[2]["path"] == "/apis/test.example/v1/namespaces/ns/widgets/a")
        await finish()
    }

    @Test func aFirstAttempt409IsThrown() async throws {
        try await server.script([["status": 409, "body": status(409, "AlreadyExists")]], client: client.http)
        await #expect(throws: KubeError.self) {
            _ = try await client.create(Widget(metadata: ObjectMeta(name: "a", namespace: "ns")))
        }
        await finish()
    }

    @Test func listFollowsContinueTokensAcrossPages() async throws {
        let pages: [JSONValue] = (0..<3).map { page in
            [
                "metadata": ["resourceVersion": "100", "continue": page < 2 ? .string("token\(page)") : .null],
                "items": .array((0..<2).map { widgetJSON("w\(page * 2 + $0)", rv: 90 + page) }),
            ]
        }
        try await server.script(pages.map { ["body": $0] }, client: client.http)
        let list = try await client.list(
            Widget.self, namespace: "ns", options: ListOptions(labelSelector: "app=x,tier!=db", limit: 2))
        #expect(list.items.map(\.metadata.name) == ["w0", "w1", "w2", "w3", "w4", "w5"])
        #expect(list.metadata.resourceVersion == "100")
        let paths = try await server.log(client: client.http).compactMap { $0["path"]?.stringValue }
        #expect(
            paths == [
                "/apis/test.example/v1/namespaces/ns/widgets?labelSelector=app%3Dx%2Ctier%21%3Ddb&limit=2",
                "/apis/test.example/v1/namespaces/ns/widgets?labelSelector=app%3Dx%2Ctier%21%3Ddb&limit=2&continue=token0",
                "/apis/test.example/v1/namespaces/ns/widgets?labelSelector=app%3Dx%2Ctier%21%3Ddb&limit=2&continue=token1",
            ])
        await finish()
    }

    /// A list of readable items is read with their own readers, continue tokens, versions and
    /// an `items: null` page included: `Codable` is never asked.
    @Test func aListOfReadableItemsIsReadFromTheBytes() async throws {
        let pages: [JSONValue] = [
            [
                "metadata": ["resourceVersion": "100", "continue": "token0", "remainingItemCount": 1],
                "items": [widgetJSON("w0", rv: 90)],
            ],
            ["kind": "WidgetList", "metadata": ["resourceVersion": "100", "continue": "token1"], "items": .null],
            ["metadata": ["resourceVersion": "100"], "items": [widgetJSON("w1", rv: 91)]],
        ]
        try await server.script(pages.map { ["body": $0] }, client: client.http)
        let list = try await client.list(ReadableWidget.self, namespace: "ns", options: ListOptions(limit: 1))
        #expect(list.items.map(\.metadata.name) == ["w0", "w1"])
        #expect(list.items.allSatisfy { $0.readFromBytes }, "every item read by its reader")
        #expect(list.metadata.resourceVersion == "100")
        let paths = try await server.log(client: client.http).compactMap { $0["path"]?.stringValue }
        #expect(paths.last == "/apis/test.example/v1/namespaces/ns/widgets?limit=1&continue=token1")
        await finish()
    }

    /// An expired continue token (410) restarts the list in one unpaginated request: the items
    /// read so far are dropped, and the restarted list's resourceVersion is the snapshot's.
    @Test func anExpiredContinueTokenRestartsTheListWhole() async throws {
        try await server.script(
            [
                [
                    "body": [
                        "metadata": ["resourceVersion": "100", "continue": "token0"],
                        "items": [widgetJSON("w0", rv: 90)],
                    ]
                ],
                ["status": 410, "body": status(410, "Expired")],
                [
                    "body": [
                        "metadata": ["resourceVersion": "120"],
                        "items": [widgetJSON("w0", rv: 90), widgetJSON("w1", rv: 110)],
                    ]
                ],
            ], client: client.http)
        let list = try await client.list(Widget.self, namespace: "ns", options: ListOptions(limit: 1))
        #expect(list.items.map(\.metadata.name) == ["w0", "w1"])
        #expect(list.metadata.resourceVersion == "120")
        let paths = try await server.log(client: client.http).compactMap { $0["path"]?.stringValue }
        #expect(
            paths == [
                "/apis/test.example/v1/namespaces/ns/widgets?limit=1",
                "/apis/test.example/v1/namespaces/ns/widgets?limit=1&continue=token0",
                "/apis/test.example/v1/namespaces/ns/widgets",
            ])
        await finish()
    }

    @Test func patchAndDeleteSendTheirContentTypesAndOptions() async throws {
        try await server.script([["body": widgetJSON("a", rv: 2)], ["body": status(200, "")]], client: client.http)
        _ = try await client.patch(
            Widget.self, namespace: "ns", name: "a", patch: ["size": 4], as: .strategic, subresource: "status")
        try await client.delete(
            resource: Widget.resourceType, namespace: "ns", name: "a",
            options: DeleteOptions(
                gracePeriodSeconds: 0, propagationPolicy: .foreground, preconditions: .init(uid: "u1")))
        let log = try await server.log(client: client.http)
        #expect(log[0]["method"] == "PATCH")
        #expect(log[0]["path"] == "/apis/test.example/v1/namespaces/ns/widgets/a/status")
        #expect(log[0][path: ["headers", "Content-Type"]] == "application/strategic-merge-patch+json")
        #expect(log[0][path: ["headers", "Authorization"]] == "Bearer t")
        let deleteBody = try JSONDecoder().decode(JSONValue.self, from: Data((log[1]["body"]?.stringValue ?? "").utf8))
        #expect(deleteBody["propagationPolicy"] == "Foreground")
        #expect(deleteBody["gracePeriodSeconds"] == 0)
        #expect(deleteBody[path: ["preconditions", "uid"]] == "u1")
        await finish()
    }
}

extension JSONValue {
    var doubleValue: Double? {
        switch self {
        case .double(let d): d
        case .int(let i): Double(i)
        default: nil
        }
    }
}
