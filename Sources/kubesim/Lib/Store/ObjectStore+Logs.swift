import KubeJSON

/// Container logs served by `pods/log`; written by the simulated kubelet (part 2) or tests.
extension ObjectStore {
    /// Appends text to a container's log (the pod must exist).
    public func appendLog(namespace: String, pod: String, container: String, _ text: String) throws {
        try lock.withLock {
            guard tables[.pods]?["\(namespace)/\(pod)"] != nil, let type = registry[.pods] else {
                throw KubeAPIError.notFound(ErrorSubject(group: "", plural: "pods", kind: "Pod", name: pod))
            }
            _ = type
            logs["\(namespace)/\(pod)/\(container)", default: ""] += text
        }
    }

    /// The log of one container, with the real server's errors for an ambiguous or waiting container.
    public func log(namespace: String, pod: String, container: String?, tailLines: Int? = nil) throws -> String {
        try lock.withLock {
            guard let object = tables[.pods]?["\(namespace)/\(pod)"] else {
                throw KubeAPIError.notFound(ErrorSubject(group: "", plural: "pods", kind: "Pod", name: pod))
            }
            let names = (object[path: ["spec", "containers"]]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
            guard let chosen = container ?? (names.count == 1 ? names[0] : nil) else {
                throw KubeAPIError.badRequest(
                    "a container name must be specified for pod \(pod), choose one of: [\(names.joined(separator: " "))]"
                )
            }
            guard names.contains(chosen) else {
                throw KubeAPIError.badRequest("container \(chosen) is not valid for pod \(pod)")
            }
            guard let text = logs["\(namespace)/\(pod)/\(chosen)"] else {
                if object[path: ["status", "phase"]]?.stringValue == "Pending" {
                    throw KubeAPIError.badRequest(
                        "container \"\(chosen)\" in pod \"\(pod)\" is waiting to start: ContainerCreating")
                }
                return ""
            }
            guard let tailLines else { return text }
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            let trimmed = lines.last == "" ? Array(lines.dropLast()) : lines
            return trimmed.suffix(max(0, tailLines)).map { $0 + "\n" }.joined()
        }
    }
}
