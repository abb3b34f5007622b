import Testing

@testable import Shared

/// The frame decoder against DESIGN.md §2: valid streams however they are split, and every way
/// a stream can be invalid, each ending the stream for good.
@Suite struct FrameDecoderTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let wire: [UInt8]
        let payloads: [String]
        let error: FrameError?
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "one frame", wire: Array("15\n{\"type\":\"ping\"}\n".utf8), payloads: ["{\"type\":\"ping\"}"],
            error: nil),
        Case(name: "two frames joined", wire: Array("2\n{}\n3\n[1]\n".utf8), payloads: ["{}", "[1]"], error: nil),
        Case(name: "empty payload", wire: Array("0\n\n".utf8), payloads: [""], error: nil),
        Case(name: "non-digit", wire: Array("1a\n".utf8), payloads: [], error: .nonDigitInLength(UInt8(ascii: "a"))),
        Case(name: "random bytes", wire: [0xff, 0x13, 0x00, 0x7f], payloads: [], error: .nonDigitInLength(0xff)),
        Case(name: "leading zero", wire: Array("012\n".utf8), payloads: [], error: .leadingZero),
        Case(name: "empty length", wire: Array("\n".utf8), payloads: [], error: .emptyLength),
        Case(name: "2 GiB length", wire: Array("2147483648\n".utf8), payloads: [], error: .overCap(2_147_483)),
        Case(name: "eight digits", wire: Array("10000000\n".utf8), payloads: [], error: .tooManyDigits),
        Case(name: "just over 1 MiB", wire: Array("1048577\n".utf8), payloads: [], error: .overCap(1_048_577)),
        Case(
            name: "missing trailing newline", wire: Array("2\n{}x".utf8), payloads: [],
            error: .missingTrailingNewline(UInt8(ascii: "x"))),
        Case(
            name: "valid frame then garbage", wire: Array("2\n{}\n-".utf8), payloads: [],
            error: .nonDigitInLength(UInt8(ascii: "-"))),
    ]

    @Test(arguments: cases)
    func wholeStream(_ c: Case) {
        var decoder = FrameDecoder()
        let result = Result { () throws(FrameError) in try decoder.feed(c.wire) }
        check(result, c)
    }

    @Test(arguments: cases)
    func singleBytes(_ c: Case) {
        var decoder = FrameDecoder()
        var payloads: [[UInt8]] = []
        var failure: FrameError?
        for byte in c.wire where failure == nil {
            do { payloads += try decoder.feed([byte]) } catch { failure = error }
        }
        check(failure.map { .failure($0) } ?? .success(payloads), c)
    }

    @Test(arguments: cases, [2, 3, 5, 7])
    func chunked(_ c: Case, size: Int) {
        var decoder = FrameDecoder()
        var payloads: [[UInt8]] = []
        var failure: FrameError?
        var index = 0
        while index < c.wire.count, failure == nil {
            let end = min(index + size, c.wire.count)
            do { payloads += try decoder.feed(c.wire[index..<end]) } catch { failure = error }
            index = end
        }
        check(failure.map { .failure($0) } ?? .success(payloads), c)
    }

    @Test func neverResynchronises() {
        var decoder = FrameDecoder()
        #expect(throws: FrameError.leadingZero) { try decoder.feed(Array("00\n".utf8)) }
        #expect(throws: FrameError.leadingZero) { try decoder.feed(Array("2\n{}\n".utf8)) }
    }

    @Test func midFrameIsVisibleForEOF() throws {
        var decoder = FrameDecoder()
        #expect(!decoder.isMidFrame)
        _ = try decoder.feed(Array("5\n{}".utf8))
        #expect(decoder.isMidFrame)
    }

    @Test func encodeThenDecode() throws {
        let payload = Array("{\"type\":\"heartbeat\",\"v\":1}".utf8)
        let wire = FrameCodec.encode(payload)
        #expect(String(decoding: wire, as: UTF8.self) == "26\n{\"type\":\"heartbeat\",\"v\":1}\n")
        var decoder = FrameDecoder()
        #expect(try decoder.feed(wire) == [payload])
    }

    private func check(_ result: Result<[[UInt8]], FrameError>, _ c: Case) {
        switch (result, c.error) {
        case (.success(let payloads), nil):
            #expect(payloads.map { String(decoding: $0, as: UTF8.self) } == c.payloads)
        case (.failure(let error), let expected?):
            #expect(error == expected)
        default:
            Issue.record("\(c.name): got \(result), expected \(c.error.map { "error \($0)" } ?? "payloads")")
        }
    }
}
