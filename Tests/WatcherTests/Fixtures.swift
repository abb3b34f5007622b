import Foundation
import KubeJSON
import Models

/// Loads the JSON fixtures copied into the test bundle (Tests/WatcherTests/Fixtures).
enum Fixtures {
    static var root: URL {
        Bundle.module.url(forResource: "Fixtures", withExtension: nil)!
    }

    /// File names (without `.json`) in a fixture folder, sorted, for `@Test(arguments:)`.
    static func names(in folder: String) -> [String] {
        let url = root.appendingPathComponent(folder)
        let files = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        return files.filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
    }

    static func data(_ folder: String, _ name: String) throws -> Data {
        try Data(contentsOf: root.appendingPathComponent(folder).appendingPathComponent(name + ".json"))
    }

    static func decode<T: Decodable>(_ type: T.Type, _ folder: String, _ name: String) throws -> T {
        try JSONDecoder().decode(T.self, from: data(folder, name))
    }

    /// The OMJob exactly as OpenMetadata's server builds it.
    static func openMetadataOMJob() throws -> OMJob {
        try decode(OMJobFixture.self, "omjob", "openmetadata-ingestion").omjob
    }
}

/// One file of Fixtures/main-pod: a real-shaped pod, the clock, and what the decision must read.
struct MainPodFixture: Decodable {
    var source: String
    var description: String
    var now: String
    var pod: Pod
    /// The same pod as the watcher's informer decodes it (what the decision reads).
    var view: PodView
    var node: Node?
    var expect: Expectation

    private enum CodingKeys: String, CodingKey { case source, description, now, pod, node, expect }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        source = try c.decode(String.self, forKey: .source)
        description = try c.decode(String.self, forKey: .description)
        now = try c.decode(String.self, forKey: .now)
        pod = try c.decode(Pod.self, forKey: .pod)
        view = try c.decode(PodView.self, forKey: .pod)
        node = try c.decodeIfPresent(Node.self, forKey: .node)
        expect = try c.decode(Expectation.self, forKey: .expect)
    }

    struct Expectation: Decodable {
        var ended: Bool
        var reason: String?
        var source: String?
        var exitCode: Int?
        var signal: Int?
        var success: Bool?
        var containerMayStillRun: Bool?
        var progress: String?
        var nextLook: String?
    }
}

/// One file of Fixtures/omjob.
struct OMJobFixture: Decodable {
    var source: String
    var expectMessage: String?
    var omjob: OMJob
}

/// Time helpers for tests.
enum T {
    static func at(_ text: String) -> Date { KubeTime.parse(text)! }
}
