import KubeJSON

/// Pure builders of Node objects as a kubelet registers them and as the node lifecycle
/// controller rewrites them when the kubelet stops posting status.
enum NodeBuilder {
    /// The taint the node lifecycle controller puts on a node whose kubelet went silent.
    static let unreachableTaintKey = "node.kubernetes.io/unreachable"

    /// A freshly registered, Ready node.
    static func ready(name: String, index: Int, now: String) -> JSONValue {
        let ip = hostIP(index: index)
        let conditions: [JSONValue] = [
            condition(
                "MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available", now),
            condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure", now),
            condition("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available", now),
            condition("Ready", "True", "KubeletReady", "kubelet is posting ready status", now),
        ]
        let capacity: JSONValue = ["cpu": "8", "memory": "32Gi", "pods": "110", "ephemeral-storage": "100Gi"]
        return [
            "apiVersion": "v1", "kind": "Node",
            "metadata": [
                "name": .string(name),
                "labels": [
                    "kubernetes.io/hostname": .string(name), "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64",
                    "beta.kubernetes.io/os": "linux", "beta.kubernetes.io/arch": "amd64",
                ],
            ],
            "spec": ["podCIDR": .string("10.244.\(index).0/24"), "podCIDRs": [.string("10.244.\(index).0/24")]],
            "status": [
                "conditions": .array(conditions),
                "addresses": [
                    ["type": "InternalIP", "address": .string(ip)], ["type": "Hostname", "address": .string(name)],
                ],
                "capacity": capacity, "allocatable": capacity,
                "nodeInfo": [
                    "kubeletVersion": "v1.32.0-kubesim", "kubeProxyVersion": "v1.32.0-kubesim",
                    "containerRuntimeVersion": "containerd://1.7.0", "operatingSystem": "linux",
                    "architecture": "amd64",
                    "osImage": "kubesim", "kernelVersion": "", "machineID": "", "systemUUID": "", "bootID": "",
                ],
            ],
        ]
    }

    /// The node lifecycle controller's view of a node that stopped posting status: every
    /// condition Unknown (`NodeStatusUnknown`), plus the unreachable NoSchedule/NoExecute taints.
    static func unreachable(_ node: JSONValue, now: String) -> JSONValue {
        var node = node
        let conditions = (node[path: ["status", "conditions"]]?.arrayValue ?? []).map { old -> JSONValue in
            var c = old
            c["status"] = "Unknown"
            c["reason"] = "NodeStatusUnknown"
            c["message"] = "Kubelet stopped posting node status."
            c["lastTransitionTime"] = .string(now)
            return c
        }
        node.set(["status", "conditions"], .array(conditions))
        var taints = (node[path: ["spec", "taints"]]?.arrayValue ?? []).filter {
            $0["key"]?.stringValue != unreachableTaintKey
        }
        taints.append(["key": .string(unreachableTaintKey), "effect": "NoSchedule", "timeAdded": .string(now)])
        taints.append(["key": .string(unreachableTaintKey), "effect": "NoExecute", "timeAdded": .string(now)])
        node.set(["spec", "taints"], .array(taints))
        return node
    }

    static func hostIP(index: Int) -> String { "10.0.0.\(10 + index)" }

    private static func condition(_ type: String, _ status: String, _ reason: String, _ message: String, _ now: String)
        -> JSONValue
    {
        [
            "type": .string(type), "status": .string(status), "reason": .string(reason), "message": .string(message),
            "lastHeartbeatTime": .string(now), "lastTransitionTime": .string(now),
        ]
    }

    /// Seconds a pod tolerates the unreachable NoExecute taint: its matching toleration's
    /// `tolerationSeconds`, forever (nil) for a toleration without one. kubesim adds no
    /// tolerations at admission, so a pod without a matching one gets the 300 s that the real
    /// DefaultTolerationSeconds admission plugin would have added.
    static func tolerationSeconds(_ pod: JSONValue, defaultSeconds: Int64 = 300) -> Int64? {
        let tolerations = pod[path: ["spec", "tolerations"]]?.arrayValue ?? []
        let matching = tolerations.filter { toleration in
            let key = toleration["key"]?.stringValue ?? ""
            let effect = toleration["effect"]?.stringValue ?? ""
            let op = toleration["operator"]?.stringValue ?? "Equal"
            return (key == unreachableTaintKey || (key.isEmpty && op == "Exists"))
                && (effect.isEmpty || effect == "NoExecute")
        }
        if matching.isEmpty { return defaultSeconds }
        let limits = matching.map { $0["tolerationSeconds"]?.intValue }
        if limits.contains(where: { $0 == nil }) { return nil }
        return limits.compactMap { $0 }.min().map { max(0, $0) }
    }
}
