import Foundation
import Testing

/// The quarantine of the C libraries, mechanised: only the loop wrapper imports libuv and only
/// the transport imports libcurl (STYLE.md "C libraries in quarantine").
@Suite struct ImportLayeringTests {
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources")

    static let rules: [(module: String, allowedUnder: String)] = [
        ("CUV", "Shared/EventLoop/"), ("CCurl", "Shared/Transport/"),
    ]

    @Test(arguments: rules)
    func onlyItsFolderImports(module: String, allowedUnder: String) throws {
        let files =
            FileManager.default.enumerator(atPath: Self.sources.path)?.compactMap { $0 as? String }.filter {
                $0.hasSuffix(".swift")
            } ?? []
        #expect(files.count > 20, "the source tree was found")
        let offenders = try files.filter { path in
            let text = try String(contentsOf: Self.sources.appendingPathComponent(path), encoding: .utf8)
            let imports = text.split(separator: "\n").contains { line in
                let words = line.split(separator: " ")
                return words.contains("import") && words.last.map(String.init) == module
            }
            return imports && !path.hasPrefix(allowedUnder)
        }
        #expect(offenders.isEmpty, "\(module) imported outside \(allowedUnder): \(offenders)")
    }
}
