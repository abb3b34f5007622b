import KubeJSON
import Testing

@testable import KubeSim

@Suite struct JSONCodecTests {
    @Test(arguments: [
        ("{\"a\":1}", JSONValue.object(["a": .int(1)])),
        ("{\"a\":1.5}", .object(["a": .double(1.5)])),
        ("[true,false,null]", .array([.bool(true), .bool(false), .null])),
        ("\"\\u00e9\\n\\\"x\"", .string("é\n\"x")),
        ("\"\\ud83d\\ude00\"", .string("😀")),
        ("-9223372036854775808", .int(-9_223_372_036_854_775_808)),
        ("1e3", .double(1000)),
    ])
    func parses(_ text: String, _ expected: JSONValue) throws {
        #expect(try JSONValue.parse(text) == expected)
    }

    @Test(arguments: ["{", "{\"a\":}", "[1,]", "tru", "\"abc", "{} x", "01x", ""])
    func rejectsMalformed(_ text: String) {
        #expect(throws: JSONParser.SyntaxError.self) { try JSONValue.parse(text) }
    }

    @Test func roundTripKeepsIntegersApartFromDoubles() throws {
        let value: JSONValue = ["i": 3, "d": 2.5, "s": "a\"b\u{1}", "n": nil, "l": [1, "x"], "o": ["k": true]]
        let text = value.jsonString
        #expect(text.contains("\"i\":3"))
        #expect(!text.contains("3.0"))
        #expect(text.contains("\\u0001"))
        #expect(try JSONValue.parse(text) == value)
    }
}
