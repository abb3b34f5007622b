import KubeJSON

/// The STATUS column of `kubectl get pods`, computed as kubectl's server-side printer does
/// (`printPod` in pkg/printers/internalversion/printers.go, regular containers only): the phase,
/// overridden by the pod's reason, then by the last waiting/terminated container reason;
/// Terminating while a deletionTimestamp is set.
enum PodStatusColumn {
    static func text(_ pod: JSONValue) -> String {
        var reason = pod[path: ["status", "reason"]]?.stringValue ?? pod.phase
        var hasRunning = false
        for container in (pod[path: ["status", "containerStatuses"]]?.arrayValue ?? []).reversed() {
            if let waiting = container[path: ["state", "waiting", "reason"]]?.stringValue, !waiting.isEmpty {
                reason = waiting
            } else if let terminated = container[path: ["state", "terminated"]] {
                let text = terminated["reason"]?.stringValue ?? ""
                reason = text.isEmpty ? "ExitCode:\(terminated["exitCode"]?.intValue ?? 0)" : text
            } else if container["ready"]?.boolValue == true, container[path: ["state", "running"]] != nil {
                hasRunning = true
            }
        }
        if reason == "Completed", hasRunning { reason = "Running" }
        if pod.isDeleting {
            reason = pod[path: ["status", "reason"]]?.stringValue == "NodeLost" ? "Unknown" : "Terminating"
        }
        return reason
    }
}
