import KubeJSON
import Testing

@testable import BrokerProtocol
@testable import Models

/// The broker's routing scanner never accepts what the full decoder rejects, reads the same
/// routing fields, and hands unusual payloads to the full decoder instead of guessing.
@Suite struct RoutingScannerTests {
    func scan(_ json: String) -> RoutingScanner.Head? { RoutingScanner.scan(Array(json.utf8)) }

    static let command = ObjectKey(namespace: "ns", name: "run-1")

    @Test(arguments: [
        #"{"v":1,"type":"command","id":"c-1","key":{"namespace":"ns","name":"run-1"},"payload":{"kind":"createPod"}}"#,
        #"  {"payload":{"a":[1,-2,3.25,0,-0.5,true,false,null,"x",{},[]]},"key":{"name":"run-1","namespace":"ns","uid":"u"},"id":"c-1","type":"command","v":1}"#
            + "\n",
        #"{ "type" : "command" , "id" : "c-1" , "key" : { "namespace" : "ns" , "name" : "run-1" } }"#,
        #"{"type":"command","id":"c-1","key":{"namespace":"ns","name":"run-1"},"payload":{"env":"caf\u00e9 \"quoted\" \\ \/ \n","é":"日本"}}"#,
        #"{"type":"command","id":"c-1","key":{"namespace":"ns","name":"run-1"},"payload":{"deep":[[[[{"x":[{}]}]]]],"n":123456789012345678}}"#,
        #"{"type":"command","id":"c-1","key":{"namespace":"ns","name":"run-1"},"payload":{"x":"\ud83d\ude00"}}"#,
        #"{"type":"command","id":"c-1","key":{"namespace":"ns","name":"run-1"},"payload":{"x":1234567890123456789012}}"#,
        #"{"type":"command","id":"c-1","key":{"namespace":"ns","name":"run-1"},"payload":"#
            + String(repeating: "[", count: 200) + String(repeating: "]", count: 200) + "}",
    ])
    func readsCommandsLikeTheFullDecoder(json: String) throws {
        let head = try #require(scan(json))
        #expect(head.type == "command" && head.id == "c-1" && head.key == Self.command)
        guard case .command(let full) = try IPCMessage(payload: Array(json.utf8)) else {
            Issue.record("not a command")
            return
        }
        #expect(full.id == head.id && full.key == head.key)
    }

    @Test func readsResultsWithTheirError() throws {
        let head = try #require(scan(#"{"error":"busy","id":"c-2","payload":null,"type":"result","v":1}"#))
        #expect(head == RoutingScanner.Head(version: 1, type: "result", id: "c-2", error: "busy"))
        #expect(scan(#"{"type":"result","id":"c-2","error":null}"#)?.error == nil)
    }

    /// Not JSON, or not one object: the scanner refuses and the full decoder names the error.
    @Test(arguments: [
        "", "{", "}", "[]", "null", #""type""#, "{}x", "{},{}", #"{"a":1,}"#, #"{"a" 1}"#, #"{"a":}"#, "{a:1}",
        #"{'type':'command'}"#, #"{"a":"unterminated}"#, "{\"a\":\"tab\there\"}", #"{"a":"\x"}"#, #"{"a":"\u12G4"}"#,
        #"{"a":01}"#, #"{"a":1.}"#, #"{"a":.5}"#, #"{"a":-}"#, #"{"a":+1}"#, #"{"a":tru}"#, #"{"a":NaN}"#,
        #"{"a":[1,2}"#, #"{"a":[1,,2]}"#, #"{"a":{"b":1]}"#, #"{"type":"command","id":"c-1"} trailing"#,
    ])
    func refusesMalformedJSON(json: String) {
        #expect(scan(json) == nil)
    }

    /// JSON that the full decoder should judge: escapes or repeats in routing fields, a number out
    /// of range, nesting deeper than the reader's limit, odd versions.
    @Test(arguments: [
        #"{"type":"command","id":"c\u002d1","key":{"namespace":"ns","name":"run-1"}}"#,
        #"{"t\u0079pe":"result","type":"command","id":"c-1","key":{"namespace":"ns","name":"run-1"}}"#,
        #"{"type":"command","id":"c-1","id":"c-2","key":{"namespace":"ns","name":"run-1"}}"#,
        #"{"type":"command","id":"c-1","key":{"namespace":"ns","namespace":"other","name":"run-1"}}"#,
        #"{"type":"command","id":"c-1","key":{"namespace":"ns","name":"run-é"}}"#,
        #"{"type":"command","id":7,"key":{"namespace":"ns","name":"run-1"}}"#,
        #"{"type":"command","id":"c-1","key":{"namespace":"ns","name":"run-1"},"payload":{"x":1e400}}"#,
        #"{"type":"command","v":1.0,"id":"c-1","key":{"namespace":"ns","name":"run-1"}}"#,
        #"{"type":"command","v":-1,"id":"c-1","key":{"namespace":"ns","name":"run-1"}}"#,
        #"{"type":"command","id":"c-1","key":{"namespace":"ns","name":"run-1"},"payload":"#
            + String(repeating: "[", count: 300) + String(repeating: "]", count: 300) + "}",
    ])
    func leavesUnusualPayloadsToTheFullDecoder(json: String) {
        #expect(scan(json) == nil)
    }

    @Test func refusesInvalidUTF8InsideStrings() {
        var bytes = Array(
            #"{"type":"command","id":"c-1","key":{"namespace":"ns","name":"r"},"payload":{"x":"ab"}}"#.utf8)
        bytes.insert(0xC3, at: bytes.count - 4)  // a lead byte with no continuation
        #expect(RoutingScanner.scan(bytes) == nil)
        #expect(throws: MessageError.invalidJSON) { try IPCMessage(payload: bytes) }
    }

    /// Thousands of one-byte mutations of real frames: whenever the fast path routes one, the
    /// full decoder accepts it too and reads the same routing fields.
    @Test func neverAcceptsWhatTheFullDecoderRejects() throws {
        let corpus = [
            #"{"id":"7","key":{"name":"run-7","namespace":"bench"},"payload":{"n":7,"s":"a\"b","l":[true,null,-1.5]},"type":"command","v":1}"#,
            #"{"id":"7","payload":{"echo":{"n":7},"instance":0,"echoWorker":true},"type":"result","v":1}"#,
        ].map { Array($0.utf8) }
        let alphabet = Array(#"{}[]:,"\ -.0123456789eEtrufalsn/ux"#.utf8) + [0x00, 0x1F, 0x80, 0xC3, 0xFF]
        var random = SplitMix(seed: 42)
        var routed = 0
        for _ in 0..<6000 {
            var bytes = corpus[Int(random.next() % 2)]
            let position = Int(random.next() % UInt64(bytes.count))
            let byte = alphabet[Int(random.next() % UInt64(alphabet.count))]
            switch random.next() % 3 {
            case 0: bytes[position] = byte
            case 1: bytes.insert(byte, at: position)
            default: bytes.remove(at: position)
            }
            guard let fast = try? IPCMessage(payload: bytes, opaquePayloads: true), RoutingScanner.scan(bytes) != nil
            else { continue }
            routed += 1
            let full = try IPCMessage(payload: bytes)
            switch (fast, full) {
            case (.command(let a), .command(let b)):
                #expect(a.id == b.id && a.key == b.key, "\(String(decoding: bytes, as: UTF8.self))")
            case (.result(let a), .result(let b)):
                #expect(a.id == b.id && a.error == b.error, "\(String(decoding: bytes, as: UTF8.self))")
            default: Issue.record("routed as \(fast.typeName), decoded as \(full.typeName)")
            }
        }
        #expect(routed > 500, "mutations that stay valid (inside strings, numbers) were routed by the scanner")
    }
}

/// A small deterministic generator, so the mutation test is the same on every run.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
