import KubeJSON

/// Read-only views of the cluster for the control API and tests.
extension SimCluster {
    /// `GET /kubesim/cluster`.
    var summary: JSONValue {
        queue.sync {
            let nodeList: [JSONValue] = nodes.keys.sorted().map {
                ["name": .string($0), "reachable": .bool(nodes[$0]?.reachable ?? false)]
            }
            var auto: JSONValue = nil
            if let autoPolicy {
                auto = ["runSeconds": .double(autoPolicy.runSeconds), "exitCode": .int(Int64(autoPolicy.exitCode))]
            }
            let clockName: JSONValue =
                switch clock {
                case .manual: "manual"
                case .system: "system"
                case .external: "external"
                }
            return [
                "nodes": .array(nodeList), "autoPolicy": auto, "localRuntime": .bool(runtime != nil),
                "clock": clockName,
            ]
        }
    }

    /// The pid of a pod's local process while it runs (nil without the local runtime).
    public func localProcessID(_ name: String, namespace: String = "default") -> Int32? {
        guard let pod = try? store.get(.pods, namespace: namespace, name: name) else { return nil }
        return queue.sync { runtime?.pid(PodKey(pod)) }
    }
}
