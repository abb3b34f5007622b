import KubeJSON

/// Pure functions from a pod and one kubelet or scheduler step to the pod's new `status`,
/// shaped field for field as a Kubernetes 1.29+ kubelet writes it (PodReadyToStartContainers on) (conditions from
/// `pkg/kubelet/status/generate.go`, container statuses from the CRI). No I/O, no clock: the
/// caller passes `now` (an RFC 3339 string) and the identifiers.
enum PodStatusBuilder {
    /// Where a pod runs: what the kubelet of its node reports.
    struct Placement: Equatable {
        var hostIP: String
        var podIP: String
    }

    /// The scheduler could not place the pod: Pending with PodScheduled=False.
    static func unschedulable(_ pod: JSONValue, message: String, now: String) -> JSONValue {
        var status = pod["status"] ?? [:]
        status["phase"] = "Pending"
        setCondition(&status, "PodScheduled", false, reason: "Unschedulable", message: message, now: now)
        return status
    }

    /// The binding: PodScheduled=True (the API server's binding writes it).
    static func scheduled(_ pod: JSONValue, now: String) -> JSONValue {
        var status = pod["status"] ?? [:]
        setCondition(&status, "PodScheduled", true, now: now)
        return status
    }

    /// The kubelet admitted the pod and created its sandbox; containers are being created.
    static func accepted(_ pod: JSONValue, placement: Placement, now: String) -> JSONValue {
        var status = scheduled(pod, now: now)
        status["phase"] = "Pending"
        status["hostIP"] = .string(placement.hostIP)
        status["hostIPs"] = [["ip": .string(placement.hostIP)]]
        status["podIP"] = .string(placement.podIP)
        status["podIPs"] = [["ip": .string(placement.podIP)]]
        if status["startTime"] == nil { status["startTime"] = .string(now) }
        setCondition(&status, "PodReadyToStartContainers", true, now: now)
        setCondition(&status, "Initialized", true, now: now)
        let names = containerNames(pod)
        let unready = "containers with unready status: [\(names.joined(separator: " "))]"
        setCondition(&status, "Ready", false, reason: "ContainersNotReady", message: unready, now: now)
        setCondition(&status, "ContainersReady", false, reason: "ContainersNotReady", message: unready, now: now)
        status["containerStatuses"] = .array(
            containers(pod).map { waitingStatus($0, reason: "ContainerCreating", message: nil) })
        return status
    }

    /// A container cannot start: ErrImagePull, ImagePullBackOff, CreateContainerConfigError.
    static func waiting(_ pod: JSONValue, reason: String, message: String?) -> JSONValue {
        var status = pod["status"] ?? [:]
        status["containerStatuses"] = .array(
            containers(pod).map { waitingStatus($0, reason: reason, message: message) })
        return status
    }

    /// Every container started: Running, ready (kubesim pods have no readiness probes).
    static func running(_ pod: JSONValue, containerID: (String) -> String, now: String) -> JSONValue {
        var status = pod["status"] ?? [:]
        status["phase"] = "Running"
        for type in ["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"] {
            setCondition(&status, type, true, now: now)
        }
        status["containerStatuses"] = .array(
            containers(pod).map { container in
                let name = container["name"]?.stringValue ?? ""
                var entry = baseStatus(container)
                entry["containerID"] = .string(containerID(name))
                entry["imageID"] = .string(FakeIdentifier.imageID(container["image"]?.stringValue ?? ""))
                entry["ready"] = true
                entry["started"] = true
                entry["state"] = ["running": ["startedAt": .string(now)]]
                return entry
            })
        return status
    }

    /// The containers ended: terminal phase, terminated states, the conditions of a terminal pod.
    /// `podReason`/`podMessage` are the pod-level reason (Evicted, DeadlineExceeded), which
    /// also force the phase to Failed.
    static func terminated(
        _ pod: JSONValue, exit: ContainerExit, podReason: String? = nil, podMessage: String? = nil,
        now: String
    ) -> JSONValue {
        var status = pod["status"] ?? [:]
        let previous = status["containerStatuses"]?.arrayValue ?? []
        var statuses: [JSONValue] = []
        for container in containers(pod) {
            let name = container["name"]?.stringValue ?? ""
            let old = previous.first { $0["name"]?.stringValue == name }
            statuses.append(terminatedStatus(container, old: old, exit: exit, now: now))
        }
        let exitCodes = statuses.compactMap { $0[path: ["state", "terminated", "exitCode"]]?.intValue }
        let succeeded = podReason == nil && exitCodes.allSatisfy { $0 == 0 }
        status["phase"] = succeeded ? "Succeeded" : "Failed"
        if let podReason { status["reason"] = .string(podReason) }
        if let podMessage { status["message"] = .string(podMessage) }
        let terminalReason = succeeded ? "PodCompleted" : "PodFailed"
        setCondition(&status, "PodReadyToStartContainers", false, now: now)
        setCondition(&status, "Initialized", true, reason: succeeded ? "PodCompleted" : nil, now: now)
        setCondition(&status, "Ready", false, reason: terminalReason, now: now)
        setCondition(&status, "ContainersReady", false, reason: terminalReason, now: now)
        status["containerStatuses"] = .array(statuses)
        return status
    }

    /// Adds or replaces a condition such as DisruptionTarget (the controllers' patch).
    static func withCondition(
        _ pod: JSONValue, type: String, status value: Bool, reason: String?, message: String?,
        now: String
    ) -> JSONValue {
        var status = pod["status"] ?? [:]
        setCondition(&status, type, value, reason: reason, message: message, now: now)
        return status
    }

    // MARK: pieces

    /// Sets one condition; `lastTransitionTime` moves only when the status value changes.
    static func setCondition(
        _ status: inout JSONValue, _ type: String, _ value: Bool, reason: String? = nil,
        message: String? = nil, now: String
    ) {
        var conditions = status["conditions"]?.arrayValue ?? []
        let index = conditions.firstIndex { $0["type"]?.stringValue == type }
        let statusText: JSONValue = value ? "True" : "False"
        var condition: JSONValue = [
            "type": .string(type), "status": statusText, "lastProbeTime": nil,
            "lastTransitionTime": .string(now),
        ]
        if let index, conditions[index]["status"] == statusText {
            condition["lastTransitionTime"] = conditions[index]["lastTransitionTime"]
        }
        if let reason { condition["reason"] = .string(reason) }
        if let message { condition["message"] = .string(message) }
        if let index { conditions[index] = condition } else { conditions.append(condition) }
        status["conditions"] = .array(conditions)
    }

    static func containers(_ pod: JSONValue) -> [JSONValue] { pod[path: ["spec", "containers"]]?.arrayValue ?? [] }

    static func containerNames(_ pod: JSONValue) -> [String] { containers(pod).compactMap { $0["name"]?.stringValue } }

    private static func baseStatus(_ container: JSONValue) -> JSONValue {
        [
            "name": container["name"] ?? "",
            "image": .string(FakeIdentifier.normalizedImage(container["image"]?.stringValue ?? "")),
            "imageID": "", "lastState": [:], "ready": false, "restartCount": 0, "started": false,
        ]
    }

    private static func waitingStatus(_ container: JSONValue, reason: String, message: String?) -> JSONValue {
        var entry = baseStatus(container)
        var waiting: JSONValue = ["reason": .string(reason)]
        if let message { waiting["message"] = .string(message) }
        entry["state"] = ["waiting": waiting]
        return entry
    }

    /// A running container keeps its ID and start time; one that never ran is reported the way
    /// the kubelet reports a container it cannot find (137, ContainerStatusUnknown).
    private static func terminatedStatus(_ container: JSONValue, old: JSONValue?, exit: ContainerExit, now: String)
        -> JSONValue
    {
        var entry = old ?? baseStatus(container)
        entry["ready"] = false
        entry["started"] = false
        if let already = old?[path: ["state", "terminated"]] {
            entry["state"] = ["terminated": already]
            return entry
        }
        guard let running = old?[path: ["state", "running"]] else {
            let unknown = ContainerExit.neverRan
            entry["state"] = [
                "terminated": [
                    "exitCode": .int(Int64(unknown.exitCode)), "reason": .string(unknown.reason),
                    "message": .string(unknown.message ?? ""), "startedAt": nil, "finishedAt": nil,
                ]
            ]
            return entry
        }
        var terminated: JSONValue = [
            "exitCode": .int(Int64(exit.exitCode)), "reason": .string(exit.reason),
            "startedAt": running["startedAt"] ?? .string(now), "finishedAt": .string(now),
        ]
        if let id = old?["containerID"] { terminated["containerID"] = id }
        if let message = exit.message { terminated["message"] = .string(message) }
        entry["state"] = ["terminated": terminated]
        return entry
    }
}
