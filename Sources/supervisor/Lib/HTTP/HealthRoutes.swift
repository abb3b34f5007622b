import Foundation
import HTTPTransport
import KubeAPI
import KubeJSON
import Runtime

/// What the health endpoint shows, gathered by the driver for one request.
public struct HealthSnapshot {
    public var version: String
    public var configuration: [String: String]
    public var children: [ChildStatus]
    public var readinessProblems: [String]
    /// Permissions a worker found missing; a required one fails `/health` too.
    public var missingPermissions: [Permission] = []
    /// Leader election as `/info` shows it (who leads, this replica's part).
    public var leader: JSONValue = .null
    /// Rendered only for `/metrics`.
    public var metricsText: () -> String

    /// One child as `/info` shows it.
    public struct ChildStatus: Sendable, Equatable {
        public var id: ChildID
        public var pid: Int32?
        public var restarts: Int
        public var uptimeSeconds: Double?
        public var lastExit: String?
    }
}

/// The routes of `HEALTH_CHECK_PORT`, a pure function from request and snapshot to response.
public enum HealthRoutes {
    public static func respond(to request: HTTPRequestHead, with snapshot: HealthSnapshot) -> HTTPResponse {
        guard request.method == "GET" || request.method == "HEAD" else {
            return HTTPResponse(status: 405, body: "only GET\n")
        }
        switch request.path {
        case "/health", "/healthz", "/livez":
            // OpenMetadata's chart probes only /health: an operator that cannot run OMJobs must
            // not look healthy there (a restart re-checks, and each start logs what is missing).
            let missing = snapshot.missingPermissions.filter(\.required)
            return missing.isEmpty
                ? HTTPResponse(status: 200, body: "ok\n")
                : HTTPResponse(
                    status: 503,
                    body: missing.map { "missing permission: \($0) (\($0.withoutIt))" }.joined(separator: "\n") + "\n")
        case "/ready", "/readyz":
            let problems = snapshot.readinessProblems
            return problems.isEmpty
                ? HTTPResponse(status: 200, body: Readiness.readyBody(missingPermissions: snapshot.missingPermissions))
                : HTTPResponse(status: 503, body: problems.joined(separator: "\n") + "\n")
        case "/metrics":
            return HTTPResponse(status: 200, contentType: MetricsRegistry.contentType, body: snapshot.metricsText())
        case "/info":
            return HTTPResponse(status: 200, contentType: "application/json", body: info(snapshot))
        default:
            return HTTPResponse(status: 404, body: "not found\n")
        }
    }

    static func info(_ snapshot: HealthSnapshot) -> String {
        let children: [JSONValue] = snapshot.children.map { child in
            var object: [String: JSONValue] = [
                "role": .string(child.id.role), "instance": .int(Int64(child.id.instance)),
                "restarts": .int(Int64(child.restarts)),
                "pid": child.pid.map { .int(Int64($0)) } ?? .null,
                "uptimeSeconds": child.uptimeSeconds.map { .double(($0 * 1000).rounded() / 1000) } ?? .null,
                "lastExitReason": child.lastExit.map { .string($0) } ?? .null,
            ]
            object["running"] = .bool(child.pid != nil)
            return .object(object)
        }
        let document: JSONValue = [
            "name": "omjob-operator", "version": .string(snapshot.version),
            "configuration": .object(snapshot.configuration.mapValues { .string($0) }),
            "children": .array(children), "ready": .bool(snapshot.readinessProblems.isEmpty),
            "readinessProblems": .array(snapshot.readinessProblems.map { .string($0) }),
            "missingPermissions": .array(snapshot.missingPermissions.map(\.json)), "leader": snapshot.leader,
        ]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return ((try? encoder.encode(document)).map { String(decoding: $0, as: UTF8.self) } ?? "{}") + "\n"
    }
}
