import Foundation
import KubeJSON
import Shared
import Yams

/// How long ago, as a person reads it: the same steps as kubectl's AGE column
/// (`45s`, `3m20s`, `25m`, `5h10m`, `3d4h`, `40d`, `2y30d`).
public enum HumanAge {
    public static func since(_ timestamp: String?, now: Date) -> String {
        guard let timestamp, let date = KubeTime.parse(timestamp) else { return "<unknown>" }
        return duration(now.timeIntervalSince(date))
    }

    public static func duration(_ interval: TimeInterval) -> String {
        let seconds = Int(max(0, interval).rounded(.down))
        let minutes = seconds / 60
        let hours = seconds / 3600
        let days = seconds / 86400
        switch seconds {
        case ..<120: return "\(seconds)s"
        case ..<600: return seconds % 60 == 0 ? "\(minutes)m" : "\(minutes)m\(seconds % 60)s"
        case ..<(3 * 3600): return "\(minutes)m"
        case ..<(8 * 3600): return minutes % 60 == 0 ? "\(hours)h" : "\(hours)h\(minutes % 60)m"
        case ..<(48 * 3600): return "\(hours)h"
        case ..<(8 * 86400): return hours % 24 == 0 ? "\(days)d" : "\(days)d\(hours % 24)h"
        case ..<(730 * 86400): return "\(days)d"
        default:
            let years = days / 365
            return days % 365 == 0 ? "\(years)y" : "\(years)y\(days % 365)d"
        }
    }
}

/// Columns padded to their widest cell, two spaces apart, the last column unpadded (as kubectl
/// prints). Widths count characters, not the colour escapes a cell may carry.
public struct Table {
    public var header: [String]
    public var rows: [[Cell]] = []

    /// One cell: its text and, on a terminal, its colour.
    public struct Cell: ExpressibleByStringLiteral {
        public var text: String
        public var colour: Terminal.Colour?
        public init(_ text: String, _ colour: Terminal.Colour? = nil) {
            self.text = text
            self.colour = colour
        }
        public init(stringLiteral value: String) { self.init(value) }
    }

    public init(header: [String]) { self.header = header }

    public mutating func add(_ row: [Cell]) { rows.append(row) }

    /// The table as lines, header first.
    public func render(on terminal: Terminal) -> String {
        let all = [header.map { Cell($0) }] + rows
        var widths = [Int](repeating: 0, count: header.count)
        for row in all {
            for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.text.count) }
        }
        var out = ""
        for row in all {
            var line = ""
            for (i, cell) in row.enumerated() {
                let last = i == row.count - 1
                let padded = last ? cell.text : cell.text.padding(toLength: widths[i], withPad: " ", startingAt: 0)
                line += cell.colour.map { terminal.paint(padded, $0) } ?? padded
                if !last { line += "  " }
            }
            out += line + "\n"
        }
        return out
    }
}

/// `-o json|yaml` for machines: whole objects as the API server returned them.
public enum MachineFormat: String, CaseIterable, Sendable {
    case json, yaml

    /// `value` as pretty JSON (sorted keys) or YAML, ending with a newline.
    public func render(_ value: JSONValue) -> String {
        switch self {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            let data = (try? encoder.encode(value)) ?? Data("null".utf8)
            return String(decoding: data, as: UTF8.self) + "\n"
        case .yaml:
            let encoder = YAMLEncoder()
            encoder.options.sortKeys = true
            return (try? encoder.encode(value)) ?? "null\n"
        }
    }
}

/// A kubectl-style `List` of raw objects.
func listDocument(_ items: [JSONValue]) -> JSONValue {
    ["apiVersion": "v1", "kind": "List", "metadata": ["resourceVersion": ""], "items": .array(items)]
}

/// A signal number as its name, for exit codes above 128.
func signalName(_ number: Int) -> String {
    switch number {
    case 1: "SIGHUP"
    case 2: "SIGINT"
    case 6: "SIGABRT"
    case 9: "SIGKILL"
    case 11: "SIGSEGV"
    case 15: "SIGTERM"
    default: "signal \(number)"
    }
}
