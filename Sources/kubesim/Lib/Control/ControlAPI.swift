import Foundation
import KubeJSON

/// kubesim's own endpoints under `/kubesim/` (JSON in, JSON out, same bearer token as the API;
/// faults never apply to them). Documented in docs/kubesim-control.md.
///
/// | method and path | body | does |
/// |---|---|---|
/// | `GET /kubesim/cluster` | | nodes, automatic policy, local runtime on/off |
/// | `POST /kubesim/cluster/nodes` | `{"name"?}` | registers a Ready node |
/// | `POST /kubesim/cluster/nodes/<node>/lose` | | node unreachable (taints, pods deleted after toleration) |
/// | `DELETE /kubesim/cluster/nodes/<node>` | | node deleted (pod GC after 40 s) |
/// | `POST /kubesim/cluster/pods/<ns>/<pod>/<action>` | see `PodAction` | one kubelet/scheduler step |
/// | `PUT /kubesim/cluster/auto` | `{"runSeconds", "exitCode"}` | automatic mode on |
/// | `DELETE /kubesim/cluster/auto` | | automatic mode off |
/// | `POST /kubesim/cluster/advance` | `{"seconds"}` | moves a manual clock |
/// | `GET /kubesim/faults` | | rules with hit counts, injected totals by kind |
/// | `POST /kubesim/faults` | a `FaultRule` | adds a rule (201, with its id) |
/// | `PATCH /kubesim/faults/<id>` | `{"enabled": bool}` | switches a rule on or off |
/// | `DELETE /kubesim/faults[/<id>]` | | removes one rule or all |
struct ControlAPI: Sendable {
    let cluster: SimCluster
    let faults: FaultInjector

    /// The answer for a `/kubesim/...` request, nil for any other path.
    func handle(_ request: APIRequest) -> InterceptAction? {
        let segments = request.segments
        guard segments.first == "kubesim" else { return nil }
        do {
            let (code, body) = try route(Array(segments.dropFirst()), request)
            return .reply(code, body)
        } catch let error as ClusterError {
            return .respond(error.apiError)
        } catch let error as KubeAPIError {
            return .respond(error)
        } catch let error as FaultRuleError {
            return .respond(KubeAPIError(code: 400, reason: "BadRequest", message: error.description))
        } catch {
            return .respond(.internalError("\(error)"))
        }
    }

    private func route(_ path: [String], _ request: APIRequest) throws -> (Int, JSONValue) {
        let method = request.method
        if path.first == "cluster" { return try routeCluster(Array(path.dropFirst()), request) }
        if method == "GET", path == ["faults"] { return (200, faults.report) }
        if method == "POST", path == ["faults"] {
            return (201, faults.add(try FaultRule(json: try body(request))).json)
        }
        if method == "DELETE", path == ["faults"] {
            faults.removeAll()
            return (200, faults.report)
        }
        if path.count == 2, path[0] == "faults", method == "DELETE" || method == "PATCH" {
            let id = path[1]
            let found = method == "DELETE" ? faults.remove(id) : faults.setEnabled(id, try enabledFlag(request))
            guard found else {
                throw KubeAPIError(code: 404, reason: "NotFound", message: "fault rule \"\(id)\" not found")
            }
            return (200, faults.report)
        }
        throw notFound(request)
    }

    private func routeCluster(_ path: [String], _ request: APIRequest) throws -> (Int, JSONValue) {
        switch (request.method, path.count, path.first ?? "") {
        case ("GET", 0, _): return (200, cluster.summary)
        case ("POST", 1, "nodes"):
            return (201, ["name": .string(try cluster.addNode(try body(request)["name"]?.stringValue))])
        case ("POST", 3, "nodes") where path[2] == "lose": try cluster.loseNode(path[1])
        case ("DELETE", 2, "nodes"): try cluster.deleteNode(path[1])
        case ("POST", 4, "pods"):
            try PodAction(path[3], body: try body(request)).apply(to: cluster, pod: path[2], namespace: path[1])
            return (200, try cluster.store.get(.pods, namespace: path[1], name: path[2]))
        case ("PUT", 1, "auto"): cluster.setAutoPolicy(try autoPolicy(try body(request)))
        case ("DELETE", 1, "auto"): cluster.setAutoPolicy(nil)
        case ("POST", 1, "advance"):
            guard case .manual = cluster.clock else {
                throw ClusterError.badRequest("kubesim runs on the system clock; nothing to advance")
            }
            guard let seconds = try body(request)["seconds"]?.numberValue, seconds >= 0 else {
                throw ClusterError.badRequest("body needs \"seconds\" >= 0")
            }
            cluster.advance(by: seconds)
        default: throw notFound(request)
        }
        return (200, cluster.summary)
    }

    private func autoPolicy(_ body: JSONValue) throws -> AutoPolicy {
        let seconds = body["runSeconds"]?.numberValue ?? 0
        guard seconds >= 0, let code = Int32(exactly: body["exitCode"]?.intValue ?? 0), (0...255).contains(code) else {
            throw ClusterError.badRequest("runSeconds must be >= 0 and exitCode 0...255")
        }
        return AutoPolicy(runSeconds: seconds, exitCode: code)
    }

    private func enabledFlag(_ request: APIRequest) throws -> Bool {
        guard let enabled = try body(request)["enabled"]?.boolValue else {
            throw ClusterError.badRequest("body needs \"enabled\": true|false")
        }
        return enabled
    }

    private func notFound(_ request: APIRequest) -> KubeAPIError {
        KubeAPIError(
            code: 404, reason: "NotFound", message: "no kubesim control endpoint \(request.method) \(request.path)")
    }

    private func body(_ request: APIRequest) throws -> JSONValue {
        if request.body.isEmpty { return [:] }
        do { return try JSONValue(parsing: request.body, options: .goCompatible) } catch {
            throw ClusterError.badRequest("request body is not JSON: \(error)")
        }
    }
}
