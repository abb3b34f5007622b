import Foundation
import KubeJSON

/// One request as the server's audit log records it (stage ResponseComplete).
struct AuditEvent: Sendable {
    var verb: String
    var uri: String
    var from: String
    /// Who made it (`user.username`): a ServiceAccount's `system:serviceaccount:NAMESPACE:NAME`.
    var user: String
    var code: Int
    var received: Date

    init?(line: Substring) {
        guard let event = try? JSONDecoder().decode(JSONValue.self, from: Data(line.utf8)),
            let verb = event["verb"]?.stringValue, let uri = event["requestURI"]?.stringValue,
            let received = event["requestReceivedTimestamp"]?.stringValue.flatMap(Self.date)
        else { return nil }
        self.verb = verb
        self.uri = uri
        self.from = event["sourceIPs"]?.arrayValue?.first?.stringValue ?? ""
        self.user = event["user"]?["username"]?.stringValue ?? ""
        self.code = Int(event["responseStatus"]?["code"]?.intValue ?? 0)
        self.received = received
    }

    /// Changes a run's state: not a read or watch, not the Lease, not an access review.
    var isWrite: Bool {
        ["create", "update", "patch", "delete", "deletecollection"].contains(verb) && !uri.contains("/leases/")
            && !uri.contains("accessreviews")
    }
    var isLeaseWrite: Bool { ["create", "update", "patch"].contains(verb) && uri.contains("/leases") }
    var summary: String { "\(verb) \(uri) \(code)" }

    /// Every request in the audit log at `path` (`OMJOB_CP_AUDIT_LOG=1`), in the order received.
    static func read(_ path: String) throws -> [AuditEvent] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return text.split(separator: "\n").compactMap { AuditEvent(line: $0) }.sorted { $0.received < $1.received }
    }

    /// RFC 3339 with microseconds, as the audit log writes it.
    static func date(_ text: String) -> Date? {
        let parts = text.dropLast().split(separator: ".", maxSplits: 1)
        guard text.hasSuffix("Z"), let whole = ISO8601DateFormatter().date(from: String(parts[0]) + "Z") else {
            return nil
        }
        return whole.addingTimeInterval(parts.count > 1 ? Double("0." + parts[1]) ?? 0 : 0)
    }
}
