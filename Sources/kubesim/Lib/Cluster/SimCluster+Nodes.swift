import KubeJSON

/// Nodes: registration, loss (node lifecycle controller + taint manager), deletion (pod GC).
extension SimCluster {
    /// The pod GC waits this long before collecting pods of a vanished node (its quarantineTime).
    static let podGCQuarantineSeconds = 40.0

    /// Registers a Ready node whose kubelet kubesim plays; returns its name.
    @discardableResult
    public func addNode(_ name: String? = nil) throws -> String {
        activate()
        return try perform {
            let index = nextNodeIndex
            nextNodeIndex += 1
            let nodeName = name ?? "kubesim-node-\(index)"
            if nodes[nodeName] != nil { return nodeName }
            let node = NodeBuilder.ready(name: nodeName, index: index, now: now)
            if (try? store.get(.nodes, namespace: nil, name: nodeName)) == nil {
                try store.create(.nodes, namespace: nil, object: node)
                try store.mutate(.nodes, namespace: nil, name: nodeName, subresource: .status) {
                    $0["status"] = node["status"]
                }
            }
            nodes[nodeName] = NodeState(index: index)
            retryUnschedulable()
            return nodeName
        }
    }

    /// Automatic mode: like the scheduler on a node event, try pods left Unschedulable again.
    private func retryUnschedulable() {
        guard autoPolicy != nil,
            let pending = try? store.list(.pods, namespace: nil, options: .init(fieldSelector: "spec.nodeName="))
        else { return }
        for pod in pending.items where !pod.isDeleting && !pod.isTerminal {
            autoHandled.remove(pod.uid)
            autoRun(pod)
        }
    }

    /// Names of the nodes kubesim runs.
    public var nodeNames: [String] { queue.sync { nodes.keys.sorted() } }

    /// The node's kubelet stops posting status: conditions Unknown, unreachable taints, its pods
    /// marked not Ready and, after their toleration (300 s by default), deleted by the taint
    /// manager with DisruptionTarget DeletionByTaintManager. Nobody completes those deletions:
    /// the pods stay Terminating in their last phase, as on a real cluster.
    public func loseNode(_ name: String) throws {
        try perform {
            guard nodes[name] != nil else { throw ClusterError.unknownNode(name) }
            nodes[name]?.reachable = false
            let now = self.now
            let lost = NodeBuilder.unreachable(try store.get(.nodes, namespace: nil, name: name), now: now)
            try store.mutate(.nodes, namespace: nil, name: name) { $0["spec"] = lost["spec"] }
            try store.mutate(.nodes, namespace: nil, name: name, subresource: .status) { $0["status"] = lost["status"] }
            for pod in podsOn(name) where !pod.isTerminal { markNotReadyAndArmTaintEviction(pod) }
        }
    }

    /// Deletes the Node object; after the pod GC's quarantine its pods are marked Failed with
    /// DisruptionTarget DeletionByPodGC and force-deleted.
    public func deleteNode(_ name: String) throws {
        try perform {
            guard nodes[name] != nil || (try? store.get(.nodes, namespace: nil, name: name)) != nil else {
                throw ClusterError.unknownNode(name)
            }
            try store.delete(.nodes, namespace: nil, name: name)
        }
    }

    func podsOn(_ node: String) -> [JSONValue] {
        (try? store.list(.pods, namespace: nil, options: .init(fieldSelector: "spec.nodeName=\(node)")).items) ?? []
    }

    /// MarkPodsNotReady: only Ready's status flips to False (its reason is kept), then the taint
    /// manager's timer.
    private func markNotReadyAndArmTaintEviction(_ pod: JSONValue) {
        let now = self.now
        writeStatus(pod.namespace, pod.name) { pod in
            var status = pod["status"] ?? [:]
            var conditions = status["conditions"]?.arrayValue ?? []
            if let index = conditions.firstIndex(where: { $0["type"]?.stringValue == "Ready" }),
                conditions[index]["status"] != "False"
            {
                conditions[index]["status"] = "False"
                conditions[index]["lastTransitionTime"] = .string(now)
            }
            status["conditions"] = .array(conditions)
            return status
        }
        guard let seconds = NodeBuilder.tolerationSeconds(pod) else { return }
        let key = PodKey(pod)
        schedule(key.timerPrefix + "taint", after: Double(seconds)) { [weak self] in self?.taintManagerDelete(key) }
    }

    private func taintManagerDelete(_ key: PodKey) {
        guard let pod = try? pod(key.namespace, key.name), pod.uid == key.uid, !pod.isDeleting else { return }
        let now = self.now
        writeStatus(key.namespace, key.name) {
            PodStatusBuilder.withCondition(
                $0, type: "DisruptionTarget", status: true, reason: "DeletionByTaintManager",
                message: "Taint manager: deleting due to NoExecute taint", now: now)
        }
        _ = try? store.delete(.pods, namespace: key.namespace, name: key.name)
    }

    /// A Node object disappeared (through the API or `deleteNode`).
    func nodeDeleted(_ name: String) {
        nodes[name] = nil
        schedule("node/\(name)/podgc", after: Self.podGCQuarantineSeconds) { [weak self] in
            self?.collectOrphans(of: name)
        }
    }

    /// gcOrphaned: pods bound to a node that still does not exist get Failed + DisruptionTarget
    /// DeletionByPodGC, then a force delete.
    private func collectOrphans(of node: String) {
        guard (try? store.get(.nodes, namespace: nil, name: node)) == nil else { return }
        let now = self.now
        for pod in podsOn(node) {
            writeStatus(pod.namespace, pod.name) { pod in
                var status = PodStatusBuilder.withCondition(
                    pod, type: "DisruptionTarget", status: true, reason: "DeletionByPodGC",
                    message: "PodGC: node no longer exists", now: now)
                if !pod.isTerminal { status["phase"] = "Failed" }
                return status
            }
            _ = try? store.delete(
                .pods, namespace: pod.namespace, name: pod.name, options: .init(gracePeriodSeconds: 0))
        }
    }
}
