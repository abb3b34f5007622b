import KubeJSON

/// One step of `POST /kubesim/cluster/pods/<ns>/<pod>/<action>`, read from the path and body.
///
/// | action | body |
/// |---|---|
/// | `schedule` | `{"node": "kubesim-node-1"}` |
/// | `unschedulable` | `{"message"?}` |
/// | `image-pull-error` | `{"backOff"?: bool}` |
/// | `config-error` | `{"message": "configmap \"x\" not found"}` |
/// | `start` | |
/// | `terminate` | `{"exitCode": 0, "reason"?, "message"?}` |
/// | `kill` | `{"signal": 9}` |
/// | `oom-kill` | |
/// | `evict` | `{"resource"?: "memory"}` |
enum PodAction: Equatable {
    case schedule(node: String)
    case unschedulable(message: String?)
    case imagePullError(backOff: Bool)
    case configError(message: String)
    case start
    case terminate(ContainerExit)
    case kill(signal: Int32)
    case oomKill
    case evict(resource: String)

    init(_ name: String, body: JSONValue) throws {
        switch name {
        case "schedule":
            guard let node = body["node"]?.stringValue else { throw ClusterError.badRequest("schedule needs \"node\"") }
            self = .schedule(node: node)
        case "unschedulable": self = .unschedulable(message: body["message"]?.stringValue)
        case "image-pull-error": self = .imagePullError(backOff: body["backOff"]?.boolValue ?? false)
        case "config-error":
            self = .configError(message: body["message"]?.stringValue ?? "configmap \"kubesim-missing\" not found")
        case "start": self = .start
        case "terminate":
            guard let code = body["exitCode"]?.intValue.flatMap({ Int32(exactly: $0) }), (0...255).contains(code) else {
                throw ClusterError.badRequest("terminate needs \"exitCode\" 0...255")
            }
            self = .terminate(
                ContainerExit(
                    exitCode: code, reason: body["reason"]?.stringValue, message: body["message"]?.stringValue))
        case "kill":
            guard let signal = body["signal"]?.intValue.flatMap({ Int32(exactly: $0) }), (1...64).contains(signal)
            else {
                throw ClusterError.badRequest("kill needs \"signal\" 1...64")
            }
            self = .kill(signal: signal)
        case "oom-kill": self = .oomKill
        case "evict": self = .evict(resource: body["resource"]?.stringValue ?? "memory")
        default:
            throw ClusterError.badRequest(
                "unknown pod action \"\(name)\": schedule, unschedulable, image-pull-error, config-error, start, terminate, kill, oom-kill, evict"
            )
        }
    }

    func apply(to cluster: SimCluster, pod: String, namespace: String) throws {
        switch self {
        case .schedule(let node): try cluster.schedule(pod, namespace: namespace, to: node)
        case .unschedulable(let message): try cluster.markUnschedulable(pod, namespace: namespace, message: message)
        case .imagePullError(let backOff): try cluster.failImagePull(pod, namespace: namespace, backOff: backOff)
        case .configError(let message): try cluster.failContainerConfig(pod, namespace: namespace, message: message)
        case .start: try cluster.start(pod, namespace: namespace)
        case .terminate(let exit): try cluster.terminate(pod, namespace: namespace, exit: exit)
        case .kill(let signal): try cluster.kill(pod, namespace: namespace, signal: signal)
        case .oomKill: try cluster.oomKill(pod, namespace: namespace)
        case .evict(let resource): try cluster.evict(pod, namespace: namespace, resource: resource)
        }
    }
}
