import KubeJSON
import Testing

@testable import Shared

/// Messages: real-shaped JSON in, typed message out, and back to the same bytes.
@Suite struct IPCMessageTests {
    static let fixtures: [(String, IPCMessage)] = [
        (
            #"{"pid":42,"role":"executor","type":"hello","v":1,"instance":1}"#,
            .hello(Hello(role: "executor", pid: 42, instance: 1))
        ),
        (#"{"type":"hello","role":"ctl","pid":0}"#, .hello(Hello(role: "ctl", pid: 0))),
        (#"{"type":"welcome","v":1,"version":"0.1.0"}"#, .welcome(version: "0.1.0")),
        (#"{"type":"ready","v":1}"#, .ready),
        (#"{"type":"heartbeat","v":1}"#, .heartbeat),
        (#"{"type":"conditions","v":1,"synced":true}"#, .conditions(WorkerConditions(synced: true))),
        (
            #"{"type":"command","v":1,"id":"c-1","key":{"namespace":"ns","name":"run-1"},"payload":{"kind":"createPod","n":3}}"#,
            .command(
                CommandEnvelope(
                    id: "c-1", key: ObjectKey(namespace: "ns", name: "run-1"), payload: ["kind": "createPod", "n": 3]))
        ),
        (
            #"{"type":"result","v":1,"id":"c-1","payload":{"outcome":"done"}}"#,
            .result(ResultEnvelope(id: "c-1", payload: ["outcome": "done"]))
        ),
        (
            #"{"type":"result","v":1,"id":"c-2","payload":null,"error":"busy"}"#,
            .result(ResultEnvelope(id: "c-2", error: "busy"))
        ),
        (
            #"{"type":"metrics","v":1,"counters":[{"name":"omjob_x_total","labels":{"a":"b"},"value":3}],"gauges":[]}"#,
            .metrics(MetricsReport(counters: [MetricSample(name: "omjob_x_total", labels: ["a": "b"], value: 3)]))
        ),
        (#"{"type":"log-level","v":1,"level":"DEBUG"}"#, .logLevel("DEBUG")),
        (#"{"type":"shutdown","v":1}"#, .shutdown),
        (#"{"type":"ctl","v":1,"request":"inflight"}"#, .ctl(.inflight)),
        (#"{"type":"error","v":1,"reason":"bad"}"#, .error("bad")),
    ]

    @Test(arguments: fixtures.indices)
    func decodesAndRoundTrips(_ index: Int) throws {
        let (json, expected) = Self.fixtures[index]
        let message = try IPCMessage(payload: Array(json.utf8))
        #expect(message == expected)
        #expect(try IPCMessage(payload: message.payload()) == expected)
    }

    @Test(arguments: fixtures.indices)
    func routingFastPathAgreesWithTheFullDecoder(_ index: Int) throws {
        let (json, expected) = Self.fixtures[index]
        let message = try IPCMessage(payload: Array(json.utf8), opaquePayloads: true)
        switch expected {
        case .command(var command):
            command.payload = .null
            #expect(message == .command(command))
        case .result(var result):
            result.payload = .null
            #expect(message == .result(result))
        default:
            #expect(message == expected)
        }
    }

    @Test(arguments: [
        #"{"v":1,"type":"command","id":"0","key":{"namespace":"b","name":"r0"},"payload":{"n":0}}"#,
        #"{"id":"0","payload":{"echo":{"n":0},"instance":0,"placeholder":true},"type":"result","v":1}"#,
    ])
    func routingFastPathLeavesPayloadsUndecoded(json: String) throws {
        switch try IPCMessage(payload: Array(json.utf8), opaquePayloads: true) {
        case .command(let c): #expect(c.payload == .null)
        case .result(let r): #expect(r.payload == .null)
        default: Issue.record("not routed")
        }
    }

    @Test(arguments: invalid.indices)
    func routingFastPathRejectsTheSame(_ index: Int) {
        let (json, expected) = Self.invalid[index]
        #expect(throws: expected) { try IPCMessage(payload: Array(json.utf8), opaquePayloads: true) }
    }

    static let invalid: [(String, MessageError)] = [
        ("not json", .invalidJSON),
        ("[1,2]", .invalidJSON),
        (#"{"type":"ping","v":1}"#, .unknownType("ping")),
        (#"{"v":1}"#, .unknownType("")),
        (#"{"type":"ready","v":2}"#, .unsupportedVersion(2)),
        (#"{"type":"hello","v":1,"role":"executor"}"#, .badField(type: "hello", field: "pid")),
        (#"{"type":"command","v":1,"id":"x","key":{"name":"a"}}"#, .badField(type: "command", field: "key.namespace")),
        (#"{"type":"ctl","v":1,"request":"reboot"}"#, .badField(type: "ctl", field: "request")),
    ]

    @Test(arguments: invalid.indices)
    func rejects(_ index: Int) {
        let (json, expected) = Self.invalid[index]
        #expect(throws: expected) { try IPCMessage(payload: Array(json.utf8)) }
    }

    @Test func compactSortedEncoding() {
        let frame = IPCMessage.hello(Hello(role: "watcher", pid: 7)).frame()
        #expect(
            String(decoding: frame, as: UTF8.self)
                == "47\n{\"pid\":7,\"role\":\"watcher\",\"type\":\"hello\",\"v\":1}\n")
    }

    @Test func brokerDecoderLeavesPayloadsOpaque() throws {
        var decoder = MessageDecoder(opaquePayloads: true)
        let command = IPCMessage.command(
            CommandEnvelope(id: "c", key: ObjectKey(namespace: "n", name: "a"), payload: ["x": 1]))
        let decoded = try decoder.feed(command.frame())
        #expect(
            decoded.map(\.message) == [
                .command(CommandEnvelope(id: "c", key: ObjectKey(namespace: "n", name: "a"), payload: .null))
            ])
        #expect(FrameCodec.encode(decoded[0].payload) == command.frame())
    }

    @Test func streamingDecoderKeepsPayloadBytes() throws {
        var decoder = MessageDecoder()
        let wire = IPCMessage.ready.frame() + IPCMessage.heartbeat.frame()
        var messages: [DecodedMessage] = []
        for byte in wire { messages += try decoder.feed([byte]) }
        #expect(messages.map(\.message) == [.ready, .heartbeat])
        #expect(FrameCodec.encode(messages[0].payload) == IPCMessage.ready.frame())
        #expect(throws: ProtocolError.message(.invalidJSON)) { try decoder.feed(Array("3\nabc\n".utf8)) }
    }
}
