import Foundation
import KubeJSON

@testable import KubeSim

/// Loads the JSON fixtures of `Fixtures/endings/` (real-cluster shapes, each citing its source)
/// and compares kubesim's objects with them, ignoring what differs between any two runs:
/// timestamps, uids, container and image IDs, IP addresses, condition order.
enum FixtureMatch {
    static func load(_ name: String) throws -> JSONValue {
        let url = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/endings/\(name).json")
        return try JSONValue(parsing: try Data(contentsOf: url))
    }

    /// Differences between a fixture object and kubesim's: `status` must be equal; `metadata`
    /// and `spec` only need the fixture's fields (a `null` there means "absent").
    static func differences(fixture: JSONValue, actual: JSONValue) -> [String] {
        var found: [String] = []
        diff(
            normalised(fixture["status"] ?? .null), normalised(actual["status"] ?? .null), "status", exact: true,
            into: &found)
        for part in ["metadata", "spec"] {
            diff(normalised(fixture[part] ?? [:]), normalised(actual[part] ?? [:]), part, exact: false, into: &found)
        }
        return found
    }

    static let timeKeys: Set<String> = [
        "lastTransitionTime", "lastProbeTime", "startTime", "startedAt", "finishedAt", "deletionTimestamp",
        "creationTimestamp", "lastHeartbeatTime", "timeAdded",
    ]

    static func normalised(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let members):
            var out: [String: JSONValue] = [:]
            for (key, member) in members {
                if timeKeys.contains(key), member.stringValue != nil {
                    out[key] = "<time>"
                    continue
                }
                if ["containerID", "imageID"].contains(key), let text = member.stringValue, !text.isEmpty {
                    out[key] = .string("<\(key)>")
                    continue
                }
                if ["hostIP", "podIP", "ip", "uid"].contains(key), member.stringValue != nil {
                    out[key] = .string("<\(key)>")
                    continue
                }
                out[key] = key == "conditions" ? sortedByType(normalised(member)) : normalised(member)
            }
            return .object(out)
        case .array(let items): return .array(items.map(normalised))
        default: return value
        }
    }

    private static func sortedByType(_ value: JSONValue) -> JSONValue {
        guard let items = value.arrayValue else { return value }
        return .array(items.sorted { ($0["type"]?.stringValue ?? "") < ($1["type"]?.stringValue ?? "") })
    }

    private static func diff(
        _ expected: JSONValue, _ actual: JSONValue?, _ path: String, exact: Bool, into found: inout [String]
    ) {
        switch (expected, actual) {
        case (.null, nil), (.null, .null?): return
        case (.object(let want), .object(let have)?):
            for (key, value) in want { diff(value, have[key], "\(path).\(key)", exact: exact, into: &found) }
            if exact {
                for key in have.keys where want[key] == nil {
                    found.append("\(path).\(key): unexpected \(describe(have[key]))")
                }
            }
        case (.array(let want), .array(let have)?) where want.count == have.count:
            for (index, item) in want.enumerated() {
                diff(item, have[index], "\(path)[\(index)]", exact: exact, into: &found)
            }
        default:
            if expected != actual { found.append("\(path): want \(describe(expected)), got \(describe(actual))") }
        }
    }

    private static func describe(_ value: JSONValue?) -> String {
        guard let value else { return "nothing" }
        return String(decoding: value.jsonBytes(), as: UTF8.self)
    }
}
