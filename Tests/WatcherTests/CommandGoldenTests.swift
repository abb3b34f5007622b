import Foundation
import Shared
import Testing

@testable import Watcher

/// The commands of the first decisions of OpenMetadata's OMJob, as JSON, pinned in
/// Fixtures/commands: the wire contract between the watcher and the executors (through the broker).
/// After an intended change, `OMJOB_RECORD_GOLDEN=1 swift test --filter CommandGoldenTests` rewrites them.
@Suite struct CommandGoldenTests {
    static let sourceFixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "Fixtures/commands")

    static func encoded(_ commands: [Command]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(commands), as: UTF8.self) + "\n"
    }

    static func cases() throws -> [(String, [Command])] {
        var run = try RunScenario(guarded: false)
        let guardFirst = run.decide().commands
        run.omJob.metadata.finalizers = [OperatorLabels.finalizer]
        let createMain = run.decide().commands
        run.pods = [try run.mainPod("failed-oomkilled")]
        let mainEnded = run.decide().commands
        return [("guard-first", guardFirst), ("create-main-pod", createMain), ("main-pod-oomkilled", mainEnded)]
    }

    @Test(arguments: ["guard-first", "create-main-pod", "main-pod-oomkilled"])
    func commandsMatchTheirGoldenFile(name: String) throws {
        let commands = try #require(try Self.cases().first { $0.0 == name }?.1)
        let actual = try Self.encoded(commands)
        if ProcessInfo.processInfo.environment["OMJOB_RECORD_GOLDEN"] == "1" {
            try actual.write(
                to: Self.sourceFixtures.appendingPathComponent("\(name).json"), atomically: true, encoding: .utf8)
        }
        let url = Fixtures.root.appendingPathComponent("commands/\(name).json")
        guard let golden = try? String(contentsOf: url, encoding: .utf8) else {
            Issue.record("missing golden file commands/\(name).json; actual:\n\(actual)")
            return
        }
        #expect(actual == golden)
        #expect(try JSONDecoder().decode([Command].self, from: Data(golden.utf8)) == commands)
    }
}
