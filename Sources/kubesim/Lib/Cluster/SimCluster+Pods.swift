import KubeJSON

/// The Swift API tests use to move one pod through its life, step by step. Each method
/// returns after the cluster reacted (watch events included).
extension SimCluster {
    /// Binds the pod to `node` (spec.nodeName, PodScheduled) unless it is already bound there,
    /// and has the node's kubelet admit it: Pending, containers `ContainerCreating`.
    public func schedule(_ name: String, namespace: String = "default", to node: String) throws {
        try perform {
            guard nodes[node] != nil else { throw ClusterError.unknownNode(node) }
            let pod = try self.pod(namespace, name)
            try bind(pod, to: node)
            try accept(try self.pod(namespace, name), on: node)
        }
    }

    /// The scheduler found no node: Pending, PodScheduled=False, reason Unschedulable.
    public func markUnschedulable(_ name: String, namespace: String = "default", message: String? = nil) throws {
        try perform {
            let pod = try self.pod(namespace, name)
            guard pod.nodeName.isEmpty else {
                throw ClusterError.invalidTransition(pod: name, "already bound to \(pod.nodeName)")
            }
            let text = message ?? Self.unschedulableMessage(nodeCount: nodes.count)
            let now = self.now
            writeStatus(namespace, name) { PodStatusBuilder.unschedulable($0, message: text, now: now) }
        }
    }

    /// The image cannot be pulled: `ErrImagePull`, or `ImagePullBackOff` after retries.
    public func failImagePull(_ name: String, namespace: String = "default", backOff: Bool = false) throws {
        try perform {
            let pod = try acceptedPod(namespace, name)
            let reason = backOff ? "ImagePullBackOff" : "ErrImagePull"
            let message = Self.waitingMessage(reason: reason, pod: pod)
            writeStatus(namespace, name) { PodStatusBuilder.waiting($0, reason: reason, message: message) }
        }
    }

    /// The container's configuration cannot be built (a missing ConfigMap or Secret).
    public func failContainerConfig(_ name: String, namespace: String = "default", message: String) throws {
        try perform {
            _ = try acceptedPod(namespace, name)
            writeStatus(namespace, name) {
                PodStatusBuilder.waiting($0, reason: "CreateContainerConfigError", message: message)
            }
        }
    }

    /// Starts the containers: Running, ready, `running` state. With env that cannot be resolved
    /// (missing ConfigMap/Secret) the container waits in CreateContainerConfigError instead.
    public func start(_ name: String, namespace: String = "default") throws {
        try perform {
            let pod = try acceptedPod(namespace, name)
            guard !pod.isTerminal else { throw ClusterError.invalidTransition(pod: name, "already \(pod.phase)") }
            try startContainers(pod)
        }
    }

    /// The containers end with `exit`: Succeeded for 0, Failed otherwise.
    public func terminate(_ name: String, namespace: String = "default", exit: ContainerExit) throws {
        try perform {
            let pod = try runningPod(namespace, name)
            let key = PodKey(pod)
            if let runtime, runtime.isRunning(key) { runtime.stop(key, graceSeconds: 0) }  // the simulated ending wins
            finish(key, exit: exit)
        }
    }

    /// The containers exit with `exitCode` (reason Completed for 0, Error otherwise).
    public func terminate(_ name: String, namespace: String = "default", exitCode: Int32) throws {
        try terminate(name, namespace: namespace, exit: .exited(exitCode))
    }

    /// The containers are killed by `signal` (exit code 128+signal, reason Error).
    public func kill(_ name: String, namespace: String = "default", signal: Int32) throws {
        try terminate(name, namespace: namespace, exit: .signaled(signal))
    }

    /// The kernel's OOM killer ends the container: 137, OOMKilled.
    public func oomKill(_ name: String, namespace: String = "default") throws {
        try terminate(name, namespace: namespace, exit: .oomKilled)
    }

    /// Node-pressure eviction by the kubelet: Failed, reason Evicted, DisruptionTarget
    /// TerminationByKubelet, containers killed at once (hard threshold: grace 0, 137).
    public func evict(_ name: String, namespace: String = "default", resource: String = "memory") throws {
        try perform {
            let pod = try acceptedPod(namespace, name)
            guard !pod.isTerminal else { throw ClusterError.invalidTransition(pod: name, "already \(pod.phase)") }
            evictNow(pod, resource: resource)
        }
    }

    func evictNow(_ pod: JSONValue, resource: String = "memory") {
        let container = PodStatusBuilder.containerNames(pod).first ?? ""
        let message =
            "The node was low on resource: \(resource). Threshold quantity: 100Mi, available: 51200Ki. "
            + "Container \(container) was using 1Gi, request is 0, has larger consumption of \(resource). "
        let condition: JSONValue = [
            "type": "DisruptionTarget", "reason": "TerminationByKubelet", "message": .string(message),
        ]
        let key = PodKey(pod)
        if let runtime, runtime.isRunning(key) { runtime.stop(key, graceSeconds: 0) }
        finish(key, exit: .killed, podReason: "Evicted", podMessage: message, condition: condition)
    }

    // MARK: helpers (queue)

    func bind(_ pod: JSONValue, to node: String) throws {
        if pod.nodeName == node { return }
        guard pod.nodeName.isEmpty else {
            throw ClusterError.invalidTransition(pod: pod.name, "already bound to \(pod.nodeName)")
        }
        try store.bind(namespace: pod.namespace, pod: pod.name, node: node)
        let now = self.now
        writeStatus(pod.namespace, pod.name) { PodStatusBuilder.scheduled($0, now: now) }
    }

    /// The pod, bound to a kubelet node and admitted (admitting it first if needed).
    private func acceptedPod(_ namespace: String, _ name: String) throws -> JSONValue {
        let pod = try self.pod(namespace, name)
        guard nodes[pod.nodeName] != nil else { throw ClusterError.notOnSimulatedNode(pod: name) }
        if pod.isAccepted { return pod }
        try accept(pod, on: pod.nodeName)
        return try self.pod(namespace, name)
    }

    private func runningPod(_ namespace: String, _ name: String) throws -> JSONValue {
        let pod = try acceptedPod(namespace, name)
        guard pod.hasRunningContainer else {
            throw ClusterError.invalidTransition(pod: name, "no running container (phase \(pod.phase))")
        }
        return pod
    }

    static func unschedulableMessage(
        nodeCount: Int, reason: String = "node(s) didn't match Pod's node affinity/selector"
    ) -> String {
        if nodeCount == 0 { return "no nodes available to schedule pods" }
        return
            "0/\(nodeCount) nodes are available: \(nodeCount) \(reason). preemption: 0/\(nodeCount) nodes are available: "
            + "\(nodeCount) Preemption is not helpful for scheduling."
    }
}
