import KubeJSON

/// Automatic mode: every new pod is scheduled on a kubesim node, admitted, started, and ended
/// as its `AutoPlan` says. Runs on the cluster queue.
extension SimCluster {
    func autoRun(_ pod: JSONValue) {
        guard let policy = autoPolicy, !pod.isTerminal, !autoHandled.contains(pod.uid) else { return }
        if !pod.nodeName.isEmpty, nodes[pod.nodeName] == nil { return }
        autoHandled.insert(pod.uid)
        let (plan, invalid) = AutoPlan.make(annotations: pod.annotations, policy: policy)
        if !invalid.isEmpty {
            logger.warning(
                "ignoring unreadable annotations", metadata: ["pod": "\(PodKey(pod))", "annotations": "\(invalid)"])
        }
        do {
            try autoPlace(pod, plan: plan)
        } catch {
            logger.error(
                "automatic mode could not run the pod", metadata: ["pod": "\(PodKey(pod))", "error": "\(error)"])
        }
    }

    private func autoPlace(_ pod: JSONValue, plan: AutoPlan) throws {
        var node = pod.nodeName
        if node.isEmpty {
            guard plan != .unschedulable, let chosen = pickNode(for: pod) else {
                let message = Self.unschedulableMessage(nodeCount: nodes.count)
                let now = self.now
                writeStatus(pod.namespace, pod.name) { PodStatusBuilder.unschedulable($0, message: message, now: now) }
                return
            }
            try bind(pod, to: chosen)
            node = chosen
        }
        try accept(try self.pod(pod.namespace, pod.name), on: node)
        let current = try self.pod(pod.namespace, pod.name)
        switch plan {
        case .unschedulable: return
        case .waiting(let reason):
            let message = Self.waitingMessage(reason: reason, pod: current)
            writeStatus(pod.namespace, pod.name) { PodStatusBuilder.waiting($0, reason: reason, message: message) }
        case .run(let seconds, let ending):
            try startContainers(current)
            guard runtime == nil, let seconds else { return }
            let key = PodKey(current)
            schedule(key.timerPrefix + "run", after: seconds) { [weak self] in self?.endRun(key, ending) }
        }
    }

    private func endRun(_ key: PodKey, _ ending: AutoEnding) {
        guard let pod = try? pod(key.namespace, key.name), pod.uid == key.uid, pod.hasRunningContainer, !pod.isDeleting
        else { return }
        switch ending {
        case .exit(let exit): finish(key, exit: exit)
        case .evicted: evictNow(pod)
        }
    }

    /// Round robin over reachable nodes whose labels match the pod's nodeSelector.
    private func pickNode(for pod: JSONValue) -> String? {
        let selector = (pod[path: ["spec", "nodeSelector"]]?.objectValue ?? [:]).compactMapValues(\.stringValue)
        let candidates = nodes.filter { $0.value.reachable }.keys.sorted().filter { name in
            guard !selector.isEmpty else { return true }
            let labels = (try? store.get(.nodes, namespace: nil, name: name))?.labels ?? [:]
            return selector.allSatisfy { labels[$0.key] == $0.value }
        }
        guard !candidates.isEmpty else { return nil }
        defer { nextAutoNode += 1 }
        return candidates[nextAutoNode % candidates.count]
    }

    static func waitingMessage(reason: String, pod: JSONValue) -> String {
        let image = FakeIdentifier.normalizedImage(PodStatusBuilder.containers(pod).first?["image"]?.stringValue ?? "")
        switch reason {
        case "ImagePullBackOff":
            return "Back-off pulling image \"\(PodStatusBuilder.containers(pod).first?["image"]?.stringValue ?? "")\""
        case "ErrImagePull":
            return
                "rpc error: code = NotFound desc = failed to pull and unpack image \"\(image)\": failed to resolve reference \"\(image)\": \(image): not found"
        default: return "configmap \"kubesim-missing\" not found"
        }
    }
}
