import KubeSim
import Synchronization

/// API requests seen by kubesim, by Kubernetes verb (get, list, watch, create, update, patch,
/// delete). kubesim's own fault-rule target is internal, so the verb is derived here the same
/// way: method, `watch` flag, and whether the path names one object.
public final class RequestCounter: Sendable {
    private let counts = Mutex<[String: Int]>([:])
    private let detailed = Mutex<[String: Int]>([:])
    private let deletes = Mutex<[(path: String, at: ContinuousClock.Instant)]>([])

    public init() {}

    func count(_ request: APIRequest) {
        guard request.path.hasPrefix("/api") else { return }  // discovery and /kubesim control are not API traffic
        let verb = Self.verb(
            method: request.method, path: request.path, watch: ["1", "true"].contains(request.query["watch"] ?? ""))
        counts.withLock { $0[verb, default: 0] += 1 }
        detailed.withLock { $0[verb + " " + Self.resource(path: request.path), default: 0] += 1 }
        if verb == "delete" { deletes.withLock { $0.append((request.path, .now)) } }
    }

    /// Every DELETE of one object so far (path and arrival), to explain a missing object.
    public var deletions: [(path: String, at: ContinuousClock.Instant)] { deletes.withLock { $0 } }

    /// The verb of a request (`/api/v1/namespaces/ns/pods` is a collection, `…/pods/p` one object).
    static func verb(method: String, path: String, watch: Bool) -> String {
        let segments = path.split(separator: "/")
        let prefix = segments.first == "api" ? 2 : 3
        var rest = Array(segments.dropFirst(prefix))
        if rest.first == "namespaces", rest.count >= 3 { rest.removeFirst(2) }
        let named = rest.count > 1
        switch method {
        case "GET": return watch ? "watch" : (named ? "get" : "list")
        case "POST": return "create"
        case "PUT": return "update"
        case "PATCH": return "patch"
        case "DELETE": return named ? "delete" : "deletecollection"
        default: return method.lowercased()
        }
    }

    /// Counts so far.
    public var snapshot: [String: Int] { counts.withLock { $0 } }

    /// Counts so far by verb and resource (`patch omjobs/status`, `create events`).
    public var detailedSnapshot: [String: Int] { detailed.withLock { $0 } }

    /// The resource a path names, with its subresource (`pods`, `omjobs/status`).
    static func resource(path: String) -> String {
        let segments = path.split(separator: "/")
        var rest = Array(segments.dropFirst(segments.first == "api" ? 2 : 3))
        if rest.first == "namespaces", rest.count >= 3 { rest.removeFirst(2) }
        guard let plural = rest.first else { return "namespaces" }
        return rest.count > 2 ? "\(plural)/\(rest[2])" : String(plural)
    }

    /// Counts since `earlier` (of `detailedSnapshot` when `detailed`).
    public func since(_ earlier: [String: Int], detailed: Bool = false) -> [String: Int] {
        (detailed ? detailedSnapshot : snapshot).reduce(into: [:]) { result, entry in
            let delta = entry.value - (earlier[entry.key] ?? 0)
            if delta > 0 { result[entry.key] = delta }
        }
    }
}
