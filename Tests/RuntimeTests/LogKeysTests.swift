import Foundation
import Testing

/// Every metadata key of the operator's logs is named in `LogKeys`, so the keys form one
/// vocabulary that log queries can rely on.
@Suite struct LogKeysTests {
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources")

    /// The operator's layers and roles; kubesim and the command line are tools with their own output.
    static let operatorFolders = [
        "Runtime/", "UVLoop/", "HTTPTransport/", "Models/", "KubeAPI/", "BrokerProtocol/", "supervisor/", "watcher/",
        "executor/", "gc/",
    ]

    /// A string literal used as a metadata key with an interpolated value (`"key": "\(value)"`).
    static var literalKey: NSRegularExpression { try! NSRegularExpression(pattern: #""[a-z][A-Za-z0-9._]*": "\\\("#) }

    @Test func noLogLineSpellsAKeyOutsideLogKeys() throws {
        let files =
            FileManager.default.enumerator(atPath: Self.sources.path)?.compactMap { $0 as? String }
            .filter { path in path.hasSuffix(".swift") && Self.operatorFolders.contains { path.hasPrefix($0) } } ?? []
        #expect(files.count > 100, "the source tree was found")
        var offenders: [String] = []
        for path in files {
            let text = try String(contentsOf: Self.sources.appendingPathComponent(path), encoding: .utf8)
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let line = String(line)
                let range = NSRange(line.startIndex..., in: line)
                if Self.literalKey.firstMatch(in: line, range: range) != nil {
                    offenders.append("\(path):\(number + 1)")
                }
            }
        }
        #expect(offenders.isEmpty, "metadata keys spelled outside LogKeys: \(offenders)")
    }

    @Test func thePatternFindsALiteralKey() {
        let line = #"logger.info("x", metadata: ["omjobs": "\(count)"])"#
        #expect(Self.literalKey.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)) != nil)
        let keyed = #"logger.info("x", metadata: [LogKeys.omJobCount: "\(count)"])"#
        #expect(Self.literalKey.firstMatch(in: keyed, range: NSRange(keyed.startIndex..., in: keyed)) == nil)
    }
}
