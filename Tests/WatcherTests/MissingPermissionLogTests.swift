import Foundation
import KubeAPI
import KubeJSON
import Logging
import Runtime
import Testing

@testable import Watcher

/// What the watcher logs of its missing permissions: one ERROR line per resource and scope,
/// naming every missing verb on it and what the operator does without them.
@Suite struct MissingPermissionLogTests {
    final class Lines: @unchecked Sendable { var all: [String] = [] }

    func logged(_ missing: [Permission]) throws -> [JSONValue] {
        let lines = Lines()
        let logger = Logger(label: "t") { _ in
            JSONLogHandler(role: "watcher", sink: LogSink { lines.all.append($0) })
        }
        WatcherDriver.log(missing: missing, to: logger)
        return try lines.all.map { try JSONDecoder().decode(JSONValue.self, from: Data($0.utf8)) }
    }

    /// OpenMetadata's chart grants nothing on nodes: the review finds list, watch and get missing,
    /// and the log says it once.
    @Test func withoutNodesOneErrorLineNamesEveryVerbAndTheCost() throws {
        let all = OperatorPermissions.all(namespaces: ["pipelines"])
        let nodes = all.filter { $0.resource == "nodes" }
        #expect(nodes.map(\.verb) == ["list", "watch", "get"])
        var access = AccessState()
        let changed = access.reviewed(PermissionReview(missing: nodes), asked: all)
        #expect(changed)
        let lines = try logged(access.toLog(now: Date(timeIntervalSince1970: 0)))
        #expect(lines.count == 1, "\(lines)")
        let line = try #require(lines.first)
        #expect(line["level"]?.stringValue == "error")
        #expect(line["message"]?.stringValue == "missing optional permission")
        #expect(line["permission.verb"]?.stringValue == "list,watch,get")
        #expect(line["permission.resource"]?.stringValue == "nodes")
        #expect(line["permission.scope"]?.stringValue == "*")
        #expect(line["permission.consequence"]?.stringValue == nodes[0].withoutIt)
        #expect(nodes[0].withoutIt.contains("node loss is read from the main pod's Ready condition"))
        #expect(access.toLog(now: Date(timeIntervalSince1970: 1)).isEmpty, "said once")
    }

    /// Different resources, scopes or costs are different lines; required ones say so.
    @Test func eachResourceAndScopeIsItsOwnLine() throws {
        let all = OperatorPermissions.all(namespaces: ["a", "b"])
        let missing = all.filter {
            ($0.resource == "pods" && ["create", "delete"].contains($0.verb)) || $0.resource == "events"
        }
        let lines = try logged(missing)
        let said = lines.map {
            [$0["message"], $0["permission.verb"], $0["permission.resource"], $0["permission.scope"]].map {
                $0?.stringValue ?? "-"
            }
        }
        #expect(
            said == [
                ["missing required permission", "create,delete", "pods", "a"],
                ["missing optional permission", "create", "events", "a"],
                ["missing required permission", "create,delete", "pods", "b"],
                ["missing optional permission", "create", "events", "b"],
            ])
    }
}
