import Foundation
import KubeJSON
import Testing

@testable import Models

/// The byte-level reader and writer agree with Foundation's coders on what they both accept,
/// and refuse what JSON refuses.
@Suite struct JSONReaderTests {
    static let documents = [
        #"{"a":1,"b":[true,false,null],"c":{"d":"e\"f\\g\/h\u00e9\ud83d\ude00"},"n":-12,"x":1.5,"big":12345678901234567890}"#,
        #"  [ 1 , -0 , 0.25 , 1e3 , "tab\tnew\nline" , {} , [] ]  "#,
        #""just a string""#,
        #"{"unicode":"名前","esc":"\b\f\r\u0001"}"#,
        // Longer than the eight bytes stepped over at once, with every kind of byte that stops it.
        #"{"long":"abcdefghijklmnopqrstuvwxyz0123456789\"quoted\" then é, 名前 and \n and \\ at last","exactly16bytes..":"0123456789abcdef"}"#,
    ]

    @Test(arguments: documents)
    func readsAsFoundationDecodesJSONValue(document: String) throws {
        let ours = try JSONValue(parsing: Array(document.utf8))
        let theirs = try JSONDecoder().decode(JSONValue.self, from: Data(document.utf8))
        #expect(ours == theirs || Self.numbersOnlyDiffer(ours, theirs), "\(ours) vs \(theirs)")
    }

    /// Foundation reads `1e3` and 2^64-scale integers as whole numbers where they fit a Double;
    /// JSONValue keeps a number with an exponent or out of Int64's range as a double.
    static func numbersOnlyDiffer(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.double(let x), .int(let y)): return x == Double(y)
        case (.int(let x), .double(let y)): return Double(x) == y
        case (.array(let x), .array(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0 == $1 || numbersOnlyDiffer($0, $1) }
        case (.object(let x), .object(let y)):
            return x.keys == y.keys
                && x.allSatisfy { key, value in value == y[key] || numbersOnlyDiffer(value, y[key]!) }
        default: return false
        }
    }

    @Test(arguments: [
        "", "{", "[1,]", #"{"a":}"#, #"{"a" 1}"#, "01", "1.", "-", "1e", "tru", "nul", #""unterminated"#,
        "\"ctrl\u{01}\"", #""\x""#, #""\u12""#, #""\ud800""#, #""\udc00x""#, "[1] 2", #"{"a":1,}"#, "{} x", "01x",
        "NaN", "   ",
    ])
    func refusesInvalidJSON(document: String) {
        #expect(throws: JSONReadError.self) { try JSONValue(parsing: Array(document.utf8)) }
    }

    /// Skipping a value accepts and refuses what reading it does, and ends where reading ends:
    /// the skipper is its own loop, and is the check a pod's text gets in a command.
    @Test(
        arguments: documents + [
            "", "{", "[1,]", #"{"a":}"#, #"{"a" 1}"#, "01", "1.", "-", "1e", "tru", "nul", "fals", #""unterminated"#,
            "\"ctrl\u{01}\"", #""\x""#, #""\u12""#, #"{"a":1,}"#, "[1 2]", "{]", "[}", "1e400", "[-1e999]",
            "123456789012345678901234", #"{"a":1]"#, #"{1:2}"#,
            #"[{"a":[{"b":[[],{}]}]},"x",-0.5e+3,true,false,null]"#,
            "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]] ",
            String(repeating: #"{"k":["#, count: 40) + "0" + String(repeating: "]}", count: 40),
            String(repeating: #"{"k":["#, count: 40) + "0" + String(repeating: "]}", count: 39) + "}",
        ])
    func skippingAcceptsWhatReadingAccepts(document: String) throws {
        let bytes = Array(document.utf8)
        func end(_ step: (inout JSONReader) throws(JSONReadError) -> Void) -> Int? {
            bytes.withUnsafeBufferPointer { buffer in
                var reader = JSONReader(buffer)
                do throws(JSONReadError) {
                    try step(&reader)
                    return reader.index
                } catch { return nil }
            }
        }
        let read = end { reader throws(JSONReadError) in _ = try reader.readValue() }
        let skipped = end { reader throws(JSONReadError) in try reader.skipValue() }
        #expect(
            read == skipped,
            "read ends at \(read.map(String.init) ?? "an error"), skipping at \(skipped.map(String.init) ?? "an error")"
        )
    }

    @Test func skippingKeepsTheNestingLimit() {
        let deep =
            String(repeating: "[", count: JSONReader.maxDepth + 1)
            + String(repeating: "]", count: JSONReader.maxDepth + 1)
        let bytes = Array(deep.utf8)
        let refused: String? = bytes.withUnsafeBufferPointer { buffer in
            var reader = JSONReader(buffer)
            do throws(JSONReadError) {
                try reader.skipValue()
                return nil
            } catch { return error.message }
        }
        #expect(refused == "nesting too deep")
    }

    @Test func refusesInvalidUTF8() throws {
        for bad: [UInt8] in [[0xC3], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xFF]] {
            let bytes = [UInt8(ascii: "\"")] + bad + [UInt8(ascii: "\"")]
            #expect(throws: JSONReadError.self) { try JSONValue(parsing: bytes) }
        }
        #expect(try JSONValue(parsing: Array("\"é€😀\"".utf8)) == .string("é€😀"))
    }

    @Test func refusesNestingDeeperThanTheLimit() {
        let deep =
            String(repeating: "[", count: JSONReader.maxDepth + 1)
            + String(repeating: "]", count: JSONReader.maxDepth + 1)
        #expect(throws: JSONReadError.self) { try JSONValue(parsing: Array(deep.utf8)) }
        let fine = String(repeating: "[", count: 50) + String(repeating: "]", count: 50)
        #expect((try? JSONValue(parsing: Array(fine.utf8))) != nil)
    }

    @Test func goCompatibleReadsInvalidUnicodeAsTheReplacementCharacter() throws {
        let cases: [([UInt8], String)] = [
            ([0x78, 0xFF, 0x79], "x\u{FFFD}y"), ([0x78, 0xC3, 0x79], "x\u{FFFD}y"),
            (Array(#"x\ud800y"#.utf8), "x\u{FFFD}y"), (Array(#"x\udc00y"#.utf8), "x\u{FFFD}y"),
            (Array(#"\ud800\u0041"#.utf8), "\u{FFFD}A"),
        ]
        for (content, expected) in cases {
            let text = [UInt8(ascii: "\"")] + content + [UInt8(ascii: "\"")]
            #expect(try JSONValue(parsing: text, options: .goCompatible) == .string(expected))
            #expect(throws: JSONReadError.self) { try JSONValue(parsing: text) }
        }
        let member = [UInt8(ascii: "{"), UInt8(ascii: "\""), 0xFF, UInt8(ascii: "\""), UInt8(ascii: ":"), 0x31, 0x7D]
        #expect(try JSONValue(parsing: member, options: .goCompatible) == ["\u{FFFD}": 1])
        #expect(try JSONValue(parsing: #""\ud83d\ude00""#.utf8, options: .goCompatible) == "😀")
        #expect(throws: JSONReadError.self) { try JSONValue(parsing: #""\x""#.utf8, options: .goCompatible) }
    }

    /// Go's encoding/json, and so a real kube-apiserver, reads 10,000 levels and refuses the next;
    /// reading and writing them takes no stack per level.
    @Test func goCompatibleReadsNestingToTenThousandLevels() throws {
        func nested(_ depth: Int) -> [UInt8] {
            Array(String(repeating: "[", count: depth).utf8) + Array(String(repeating: "]", count: depth).utf8)
        }
        let limit = JSONReadingOptions.goCompatible.maxDepth
        #expect(limit == 10_000)
        let deepest = try JSONValue(parsing: nested(limit), options: .goCompatible)
        var levels = 0
        var current: JSONValue? = deepest
        while let elements = current?.arrayValue {
            levels += 1
            current = elements.first
        }
        #expect(levels == limit)
        #expect(deepest.jsonBytes() == nested(limit), "written back without recursion as well")
        let error = #expect(throws: JSONReadError.self) {
            try JSONValue(parsing: nested(limit + 1), options: .goCompatible)
        }
        #expect(error?.offset == limit)
        #expect(throws: JSONReadError.self) { try JSONValue(parsing: nested(JSONReader.maxDepth + 1)) }
    }

    /// Past ``JSONReader/recursionDepth`` a value is read without recursion: objects, arrays,
    /// members and elements come back as they were written.
    @Test(arguments: [150, 3_000])
    func deepValuesReadWithoutRecursionAsWritten(depth: Int) throws {
        var text = "null"
        for level in 0..<depth {
            text = level % 2 == 0 ? #"{"a":1,"b":\#(text),"c":[]}"# : #"[true,\#(text),"s",{}]"#
        }
        let options: JSONReadingOptions = depth <= JSONReader.maxDepth ? .strict : .goCompatible
        let value = try JSONValue(parsing: Array(text.utf8), options: options)
        #expect(value.jsonBytes() == Array(text.utf8))
        let outer = try #require(value.arrayValue)
        #expect(outer.count == 4 && outer[1]["a"] == 1 && outer[1]["b"]?.arrayValue?.count == 4)
    }

    @Test func integersKeepTheirRange() throws {
        #expect(try JSONValue(parsing: Array("1e3".utf8)) == .double(1000))
        #expect(try JSONValue(parsing: Array("9223372036854775807".utf8)) == .int(.max))
        #expect(try JSONValue(parsing: Array("-9223372036854775808".utf8)) == .int(.min))
        #expect(try JSONValue(parsing: Array("9223372036854775808".utf8)) == .double(9_223_372_036_854_775_808))
        #expect(try JSONValue(parsing: Array("3.0".utf8)) == .double(3))
    }

    @Test func skippingMembersLeavesTheKeptOnes() throws {
        let text = Array(#"{"skip":{"deep":[1,{"x":"y"}]},"keep":"yes","n":7}"#.utf8)
        let (kept, n) = try JSONReader.read(text) { reader throws(JSONReadError) -> (String?, Int64?) in
            var kept: String?
            var n: Int64?
            try reader.readObject { reader, key throws(JSONReadError) in
                if key == "keep" {
                    kept = try reader.readString()
                } else if key == "n" {
                    n = try reader.readInt64()
                } else {
                    try reader.skipValue()
                }
            }
            return (kept, n)
        }
        #expect(kept == "yes" && n == 7)
    }

    @Test(arguments: documents)
    func writesWhatFoundationWritesWithSortedKeys(document: String) throws {
        let value = try JSONValue(parsing: Array(document.utf8))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let theirs = try encoder.encode(value)
        #expect(String(decoding: value.jsonBytes(), as: UTF8.self) == String(decoding: theirs, as: UTF8.self))
        let back = try JSONValue(parsing: value.jsonBytes())
        #expect(
            back == value || Self.numbersOnlyDiffer(back, value),
            "what is written reads back equal (a whole double as an integer)")
    }

    @Test func writesIntegersApartFromDoubles() throws {
        let value: JSONValue = [
            "i": 3, "d": 2.5, "whole": 4.0, "s": "a\"b\u{1}", "n": nil, "l": [1, "x"], "o": ["k": true],
        ]
        let text = String(decoding: value.jsonBytes(), as: UTF8.self)
        #expect(text == #"{"d":2.5,"i":3,"l":[1,"x"],"n":null,"o":{"k":true},"s":"a\"b\u0001","whole":4}"#)
        let back = try JSONValue(parsing: value.jsonBytes())
        #expect(back["i"] == .int(3) && back["d"] == .double(2.5) && back["whole"] == .int(4))
    }

    @Test func escapesControlCharactersQuotesAndBackslashes() {
        var writer = JSONWriter()
        writer.string("a\"b\\c\n\u{01}/é")
        #expect(String(decoding: writer.bytes, as: UTF8.self) == #""a\"b\\c\n\u0001/é""#)
    }
}

/// `JSONValueEncoder` gives the value Foundation's encoder and a decoder pass gave.
@Suite struct JSONValueEncoderTests {
    static func viaFoundation(_ value: some Encodable) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(value))
    }

    @Test func anOMJobAndAPodEncodeAsWithFoundation() throws {
        let omJob = try JSONDecoder().decode(OMJob.self, from: JSONReadingTests.omJob)
        #expect(try JSONValueEncoder.encode(omJob) == Self.viaFoundation(omJob))
        let pod = try JSONDecoder().decode(Pod.self, from: PodViewTests.apiPod)
        #expect(try JSONValueEncoder.encode(pod) == Self.viaFoundation(pod))
        #expect(try JSONValueEncoder.encode(pod).jsonBytes() == Self.viaFoundation(pod).jsonBytes())
    }

    @Test func leavesAndContainersEncodeAsWithFoundation() throws {
        struct Sample: Encodable {
            var s = "a\"b"
            var i = -3
            var d = 2.5
            var whole = 4.0
            var b = true
            var missing: String? = nil
            var list = [1, 2]
            var map = ["k": "v"]
            var nested: [[String: Int]] = [["x": 1], [:]]
        }
        #expect(try JSONValueEncoder.encode(Sample()) == Self.viaFoundation(Sample()))
    }
}

/// `JSONStreamEncoder` writes the value `JSONValueEncoder` builds, member order aside, and falls
/// back to it for what cannot be streamed.
@Suite struct JSONStreamEncoderTests {
    static func streamed(_ value: some Encodable) throws -> JSONValue {
        try JSONValue(parsing: JSONStreamEncoder.encode(value))
    }

    @Test func anOMJobAndAPodAreTheValueTheTreeEncoderBuilds() throws {
        let omJob = try JSONDecoder().decode(OMJob.self, from: JSONReadingTests.omJob)
        #expect(try Self.streamed(omJob) == JSONValueEncoder.encode(omJob))
        let pod = try JSONDecoder().decode(Pod.self, from: PodViewTests.apiPod)
        #expect(try Self.streamed(pod) == JSONValueEncoder.encode(pod))
    }

    @Test func membersComeInTheOrderTheyAreEncoded() throws {
        struct Ordered: Encodable {
            var zebra = 1
            var apple = ["b", "a"]
            var middle: String? = nil
            var last = 2.0
        }
        #expect(
            String(decoding: try JSONStreamEncoder.encode(Ordered()), as: UTF8.self)
                == #"{"zebra":1,"apple":["b","a"],"last":2}"#)
    }

    @Test func leavesContainersAndNestingAreTheTreeEncodersValue() throws {
        struct Sample: Encodable {
            var s = "a\"b\n"
            var i = -3
            var d = 2.5
            var whole = 4.0
            var b = true
            var missing: String? = nil
            var present: Int? = 7
            var list = [1, 2]
            var map = ["k": "v"]
            var nested: [[String: Int]] = [["x": 1], [:]]
            var empty: [String] = []
            var json: JSONValue = ["a": [1, "x"]]
            var optionals: [Int?] = [1, nil]
        }
        #expect(try Self.streamed(Sample()) == JSONValueEncoder.encode(Sample()))
        #expect(try JSONStreamEncoder.encode("top") == Array(#""top""#.utf8))
        #expect(try JSONStreamEncoder.encode(Optional<Int>.none) == Array("null".utf8))
        #expect(try JSONStreamEncoder.encode([[1], [], [2, 3]]) == Array("[[1],[],[2,3]]".utf8))
    }

    /// Written by hand: nested containers, two containers on one encoder, nothing written.
    struct HandWritten: Encodable {
        enum Key: String, CodingKey { case type, inner, list, after, nothing }
        struct Nothing: Encodable { func encode(to encoder: any Encoder) throws {} }

        func encode(to encoder: any Encoder) throws {
            var first = encoder.container(keyedBy: Key.self)
            try first.encode("kind", forKey: .type)
            var inner = first.nestedContainer(keyedBy: Key.self, forKey: .inner)
            try inner.encode(1, forKey: .type)
            var list = first.nestedUnkeyedContainer(forKey: .list)
            try list.encode("x")
            var element = list.nestedContainer(keyedBy: Key.self)
            try element.encode(true, forKey: .type)
            try list.encodeNil()
            var second = encoder.container(keyedBy: Key.self)  // the same object, as a command's action writes it
            try second.encode(Nothing(), forKey: .nothing)
            try second.encode(2, forKey: .after)
        }
    }

    @Test func handWrittenContainersAreTheTreeEncodersValue() throws {
        let text = String(decoding: try JSONStreamEncoder.encode(HandWritten()), as: UTF8.self)
        #expect(text == #"{"type":"kind","inner":{"type":1},"list":["x",{"type":true},null],"nothing":{},"after":2}"#)
        #expect(try Self.streamed(HandWritten()) == JSONValueEncoder.encode(HandWritten()))
    }

    /// Writes into a nested container after a later sibling was opened: not streamable.
    struct OutOfOrder: Encodable {
        enum Key: String, CodingKey { case a, b, x, y }
        func encode(to encoder: any Encoder) throws {
            var top = encoder.container(keyedBy: Key.self)
            var a = top.nestedContainer(keyedBy: Key.self, forKey: .a)
            var b = top.nestedContainer(keyedBy: Key.self, forKey: .b)
            try b.encode(1, forKey: .x)
            try a.encode(2, forKey: .y)
        }
    }

    @Test func whatCannotBeStreamedFallsBackToTheTreeLeavingTheTextBeforeIt() throws {
        var writer = JSONWriter()
        writer.raw("[")
        try JSONStreamEncoder.encode(OutOfOrder(), into: &writer)
        writer.raw("]")
        #expect(try JSONValue(parsing: writer.bytes) == [JSONValueEncoder.encode(OutOfOrder())])
        #expect(try JSONValue(parsing: writer.bytes) == [["a": ["y": 2], "b": ["x": 1]]])
    }

    @Test func superEncodersFallBackToTheTree() throws {
        struct WithSuper: Encodable {
            enum Key: String, CodingKey { case own }
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: Key.self)
                try container.encode(1, forKey: .own)
                try "base".encode(to: container.superEncoder())
            }
        }
        #expect(try Self.streamed(WithSuper()) == ["own": 1, "super": "base"])
    }
}
