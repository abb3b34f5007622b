import KubeJSON

/// Why a simulated-cluster action was refused. Control endpoints answer these as Status
/// objects (404 for unknown objects, 409 for a step that does not fit the pod's state).
public enum ClusterError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No kubelet-managed node of that name.
    case unknownNode(String)
    /// The pod is not bound to a node kubesim runs.
    case notOnSimulatedNode(pod: String)
    /// The step does not fit the pod's current state (e.g. terminating a pod that already ended).
    case invalidTransition(pod: String, String)
    /// The request body of a control endpoint is wrong.
    case badRequest(String)

    public var description: String {
        switch self {
        case .unknownNode(let name): "node \"\(name)\" is not a kubesim node"
        case .notOnSimulatedNode(let pod): "pod \"\(pod)\" is not bound to a kubesim node"
        case .invalidTransition(let pod, let why): "pod \"\(pod)\": \(why)"
        case .badRequest(let why): why
        }
    }

    /// The Status an HTTP client sees.
    var apiError: KubeAPIError {
        switch self {
        case .unknownNode(let name):
            KubeAPIError(code: 404, reason: "NotFound", message: description, name: name, kind: "nodes")
        case .notOnSimulatedNode, .invalidTransition: KubeAPIError(code: 409, reason: "Conflict", message: description)
        case .badRequest: KubeAPIError(code: 400, reason: "BadRequest", message: description)
        }
    }
}
