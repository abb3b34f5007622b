import Foundation
import KubeJSON

/// The kubelet of kubesim's nodes: admission, container start, endings, graceful termination
/// of deleted pods, and `activeDeadlineSeconds`. Runs on the cluster queue.
extension SimCluster {
    /// One watch event of a pod or node.
    func observe(_ event: WatchEvent) {
        let object = event.object
        if object["kind"]?.stringValue == "Node" {
            if event.type == .deleted { nodeDeleted(object.name) }
            return
        }
        switch event.type {
        case .added, .modified: podChanged(object)
        case .deleted: podGone(object)
        default: break
        }
    }

    private func podChanged(_ pod: JSONValue) {
        let node = pod.nodeName
        if pod.isDeleting {
            if nodes[node]?.reachable == true { beginTermination(pod) }
            return
        }
        if autoPolicy != nil { autoRun(pod) }
    }

    private func podGone(_ pod: JSONValue) {
        let key = PodKey(pod)
        timers.cancel(prefix: key.timerPrefix)
        terminating.remove(key.uid)
        autoHandled.remove(key.uid)
        runtime?.stop(key, graceSeconds: 0)
    }

    /// Admission on the node: sandbox, IPs, startTime, containers being created; arms the
    /// active deadline.
    func accept(_ pod: JSONValue, on node: String) throws {
        guard let state = nodes[node] else { throw ClusterError.unknownNode(node) }
        let placement = PodStatusBuilder.Placement(
            hostIP: NodeBuilder.hostIP(index: state.index), podIP: allocatePodIP(state.index))
        let now = self.now
        guard
            let accepted = writeStatus(
                pod.namespace, pod.name, { PodStatusBuilder.accepted($0, placement: placement, now: now) })
        else { return }
        if let deadline = pod[path: ["spec", "activeDeadlineSeconds"]]?.intValue {
            let key = PodKey(accepted)
            schedule(key.timerPrefix + "deadline", after: Double(deadline)) { [weak self] in self?.deadlineExceeded(key)
            }
        }
    }

    /// Starts the containers: a real process with the local runtime, else a simulated one.
    func startContainers(_ pod: JSONValue) throws {
        let key = PodKey(pod)
        if let runtime {
            let resolved = EnvResolver.resolve(
                pod, container: PodStatusBuilder.containers(pod).first ?? [:], store: store)
            switch resolved {
            case .failure(let problem):
                writeStatus(key.namespace, key.name) {
                    PodStatusBuilder.waiting($0, reason: "CreateContainerConfigError", message: problem.message)
                }
                return
            case .success(let env):
                runtime.logImageIgnored(key, image: PodStatusBuilder.containers(pod).first?["image"]?.stringValue ?? "")
                markRunning(key)
                runtime.start(key, pod: pod, env: env, store: store)
            }
            return
        }
        if case .failure(let problem) = EnvResolver.resolve(
            pod, container: PodStatusBuilder.containers(pod).first ?? [:], store: store)
        {
            writeStatus(key.namespace, key.name) {
                PodStatusBuilder.waiting($0, reason: "CreateContainerConfigError", message: problem.message)
            }
            return
        }
        markRunning(key)
    }

    func markRunning(_ key: PodKey) {
        let now = self.now
        writeStatus(key.namespace, key.name) { pod in
            PodStatusBuilder.running(
                pod, containerID: { "containerd://" + FakeIdentifier.hex64("\(key.uid)/\($0)") }, now: now)
        }
    }

    /// Ends the pod's containers with `exit` (and a pod-level reason for Evicted or
    /// DeadlineExceeded); then finishes a pending graceful deletion.
    func finish(
        _ key: PodKey, exit: ContainerExit, podReason: String? = nil, podMessage: String? = nil,
        condition: JSONValue? = nil
    ) {
        let now = self.now
        timers.cancel(key.timerPrefix + "run")
        let written = writeStatus(key.namespace, key.name) { pod in
            var pod = pod
            if let condition, let type = condition["type"]?.stringValue {
                pod["status"] = PodStatusBuilder.withCondition(
                    pod, type: type, status: true, reason: condition["reason"]?.stringValue,
                    message: condition["message"]?.stringValue, now: now)
            }
            let reason = podReason ?? pod[path: ["status", "reason"]]?.stringValue
            let message = podMessage ?? pod[path: ["status", "message"]]?.stringValue
            return PodStatusBuilder.terminated(pod, exit: exit, podReason: reason, podMessage: message, now: now)
        }
        if let written, written.isDeleting { completeDeletion(key) }
    }

    /// A local process ended.
    func containerExited(_ key: PodKey, _ exit: ContainerExit) {
        guard let pod = try? pod(key.namespace, key.name), pod.uid == key.uid else { return }
        finish(key, exit: exit)
    }

    /// The kubelet saw a deletionTimestamp: stop the containers within the grace period (SIGTERM,
    /// then SIGKILL), report the terminal status, then delete with grace 0.
    private func beginTermination(_ pod: JSONValue) {
        let key = PodKey(pod)
        guard !terminating.contains(key.uid) else { return }
        terminating.insert(key.uid)
        timers.cancel(key.timerPrefix + "run")
        switch TerminationPlan.make(pod, hasLocalProcess: runtime?.isRunning(key) ?? false) {
        case .deleteNow: completeDeletion(key)
        case .stopProcess(let grace): runtime?.stop(key, graceSeconds: grace)
        case .exit(let exit): finish(key, exit: exit)
        case .exitAfter(let seconds, let exit):
            schedule(key.timerPrefix + "sigkill", after: seconds) { [weak self] in self?.finish(key, exit: exit) }
        }
    }

    /// The kubelet's final delete of a terminated pod: grace 0, with a uid precondition.
    func completeDeletion(_ key: PodKey) {
        _ = try? store.delete(
            .pods, namespace: key.namespace, name: key.name,
            options: .init(gracePeriodSeconds: 0, preconditionUID: key.uid))
    }

    private func deadlineExceeded(_ key: PodKey) {
        guard let pod = try? pod(key.namespace, key.name), pod.uid == key.uid, !pod.isTerminal else { return }
        let reason = "DeadlineExceeded"
        let message = "Pod was active on the node longer than the specified deadline"
        if let runtime, runtime.isRunning(key) {
            let now = self.now
            writeStatus(key.namespace, key.name) { pod in
                var status = pod["status"] ?? [:]
                status["phase"] = "Failed"
                status["reason"] = .string(reason)
                status["message"] = .string(message)
                PodStatusBuilder.setCondition(&status, "Ready", false, reason: "PodFailed", now: now)
                return status
            }
            runtime.stop(
                key, graceSeconds: Double(pod[path: ["spec", "terminationGracePeriodSeconds"]]?.intValue ?? 30))
            return
        }
        finish(
            key, exit: pod.hasRunningContainer ? .terminatedBySIGTERM : .killed, podReason: reason, podMessage: message)
    }

    private func allocatePodIP(_ nodeIndex: Int) -> String {
        defer { nextPodIP += 1 }
        return "10.244.\(nodeIndex).\(nextPodIP % 250 + 2)"
    }
}
