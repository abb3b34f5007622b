import Foundation
import KubeJSON

/// `pods/log`, `pods/eviction` and `pods/binding`.
extension APIHandler {
    func handleLog(_ route: ResourceRoute, _ name: String, _ request: APIRequest) throws -> APIResponse {
        guard request.method == "GET" else { return .error(.methodNotAllowed) }
        let text = try store.log(
            namespace: route.namespace ?? "", pod: name, container: request.query["container"],
            tailLines: request.query["tailLines"].flatMap { Int($0) })
        if request.flag("follow") {
            return .followLog(
                LogFollowRequest(
                    namespace: route.namespace ?? "", pod: name, container: request.query["container"], initial: text))
        }
        return .raw(200, contentType: "text/plain", Array(text.utf8))
    }

    /// Eviction without PodDisruptionBudgets always succeeds: the pod gets the DisruptionTarget
    /// condition (reason EvictionByEvictionAPI), then is deleted with the eviction's options.
    func handleEviction(_ route: ResourceRoute, _ name: String, _ request: APIRequest) throws -> APIResponse {
        guard request.method == "POST" else { return .error(.methodNotAllowed) }
        let eviction = try decodeBody(request)
        if let evictedName = eviction[path: ["metadata", "name"]]?.stringValue, evictedName != name {
            throw KubeAPIError.badRequest("name in URL does not match name in Eviction object")
        }
        let namespace = route.namespace ?? ""
        let pod = try store.get(.pods, namespace: namespace, name: name)
        let phase = pod[path: ["status", "phase"]]?.stringValue ?? ""
        if phase != "Succeeded", phase != "Failed", !pod.isDeleting {
            let condition: JSONValue = [
                "type": "DisruptionTarget", "status": "True", "reason": "EvictionByEvictionAPI",
                "message": "Eviction API: evicting", "lastTransitionTime": .string(KubeTime.format(Date())),
            ]
            try store.mutate(.pods, namespace: namespace, name: name, subresource: .status) { pod in
                var conditions = (pod[path: ["status", "conditions"]]?.arrayValue ?? []).filter {
                    $0["type"]?.stringValue != "DisruptionTarget"
                }
                conditions.append(condition)
                pod.set(["status", "conditions"], .array(conditions))
            }
        }
        let options = eviction["deleteOptions"].map(DeleteOptions.init(body:)) ?? DeleteOptions()
        try store.delete(.pods, namespace: namespace, name: name, options: options)
        return .json(201, ["kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Success"])
    }

    /// Binding sets `spec.nodeName` once, as the scheduler does; a bound pod is 409.
    func handleBinding(_ route: ResourceRoute, _ name: String, _ request: APIRequest) throws -> APIResponse {
        guard request.method == "POST" else { return .error(.methodNotAllowed) }
        let binding = try decodeBody(request)
        guard let node = binding[path: ["target", "name"]]?.stringValue, !node.isEmpty else {
            throw KubeAPIError.invalid(route.type.subject(name), [.required("target.name")])
        }
        let subject = route.type.subject(name)
        try store.bind(namespace: route.namespace ?? "", pod: name, node: node, subject: subject)
        return .json(201, ["kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Success"])
    }
}

extension ObjectStore {
    /// Sets a pod's node (the `binding` subresource; spec is otherwise immutable).
    public func bind(namespace: String, pod: String, node: String) throws {
        try bind(
            namespace: namespace, pod: pod, node: node,
            subject: ErrorSubject(group: "", plural: "pods", kind: "Pod", name: pod))
    }

    func bind(namespace: String, pod: String, node: String, subject: ErrorSubject) throws {
        try lock.withLock {
            guard let type = registry[.pods], let old = tables[.pods]?["\(namespace)/\(pod)"] else {
                throw KubeAPIError.notFound(subject)
            }
            if let current = old[path: ["spec", "nodeName"]]?.stringValue, !current.isEmpty {
                throw KubeAPIError.conflict(subject, "pod \(pod) is already assigned to node \"\(current)\"")
            }
            if old.isDeleting {
                throw KubeAPIError.conflict(subject, "pod \(pod) is being deleted, cannot be assigned to a host")
            }
            var new = old
            new.set(["spec", "nodeName"], .string(node))
            let rv = nextRevision()
            new.set(["metadata", "resourceVersion"], .string(String(rv)))
            commit(type, key: "\(namespace)/\(pod)", object: new, previous: old, event: .modified, revision: rv)
        }
    }
}
