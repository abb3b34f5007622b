import Shared

/// The watcher's indexed view of what the informers saw: OMJobs, their pods grouped by run label,
/// and nodes. Each `apply` returns the OMJob keys whose decision the change may alter.
///
/// Pods are grouped by (namespace, `omjob.pipelines.openmetadata.org/name`), the label the pod
/// informer selects on, so building one run's observation never scans other runs' pods.
public struct WatchCache {
    /// A change reported by an informer.
    public enum Change<Object> {
        case upserted(Object)
        case deleted(Object)
    }

    public private(set) var omJobs: [ObjectKey: OMJob] = [:]
    private var podsByLabel: [ObjectKey: [String: PodView]] = [:]
    private var omJobsByLabel: [ObjectKey: Set<String>] = [:]
    private var nodes: [String: Node] = [:]
    public private(set) var cronOMJobs: [ObjectKey: CronOMJob] = [:]
    /// OMJobs by the CronOMJob that controls them (namespace/cron name → run names).
    private var runsByCron: [ObjectKey: Set<String>] = [:]

    public init() {}

    public mutating func apply(_ change: Change<OMJob>) -> [ObjectKey] {
        switch change {
        case .upserted(let omJob):
            let key = omJob.metadata.key
            if omJobs.updateValue(omJob, forKey: key) == nil {
                omJobsByLabel[Self.label(of: key), default: []].insert(key.name)
            }
            if let cron = Self.controllingCron(of: omJob) { runsByCron[cron, default: []].insert(key.name) }
            return [key]
        case .deleted(let omJob):
            let key = omJob.metadata.key
            omJobs[key] = nil
            omJobsByLabel[Self.label(of: key)]?.remove(key.name)
            if let cron = Self.controllingCron(of: omJob) { runsByCron[cron]?.remove(key.name) }
            return [key]
        }
    }

    public mutating func apply(_ change: Change<CronOMJob>) -> [ObjectKey] {
        switch change {
        case .upserted(let cron): cronOMJobs[cron.metadata.key] = cron
        case .deleted(let cron): cronOMJobs[cron.metadata.key] = nil
        }
        let key: ObjectKey
        switch change {
        case .upserted(let cron), .deleted(let cron): key = cron.metadata.key
        }
        return [key]
    }

    /// The CronOMJob that scheduled `omJob` (its scheduler must see the run's changes), if any.
    public static func controllingCron(of omJob: OMJob) -> ObjectKey? {
        CronOwnership.cronName(of: omJob).map { ObjectKey(namespace: omJob.metadata.namespace ?? "", name: $0) }
    }

    /// The runs of the CronOMJob at `key` (the scheduler checks ownership by UID itself).
    public func runs(ofCron key: ObjectKey) -> [OMJob] {
        (runsByCron[key] ?? []).compactMap { omJobs[ObjectKey(namespace: key.namespace, name: $0)] }
    }

    public mutating func apply(_ change: Change<PodView>) -> [ObjectKey] {
        let pod: PodView
        switch change {
        case .upserted(let p), .deleted(let p): pod = p
        }
        guard let value = pod.metadata.labels?[OperatorLabels.omJobName], let name = pod.metadata.name else {
            return []
        }
        let label = ObjectKey(namespace: pod.metadata.namespace ?? "", name: value)
        if case .deleted = change {
            podsByLabel[label]?[name] = nil
            if podsByLabel[label]?.isEmpty == true { podsByLabel[label] = nil }
        } else {
            podsByLabel[label, default: [:]][name] = pod
        }
        return runs(labelled: label)
    }

    public mutating func apply(_ change: Change<Node>) -> [ObjectKey] {
        switch change {
        case .upserted(let node):
            guard let name = node.metadata.name else { return [] }
            let before = nodes.updateValue(node, forKey: name).map(NodeReadiness.init)
            return before == NodeReadiness(node: node) ? [] : runs(onNode: name)
        case .deleted(let node):
            guard let name = node.metadata.name, nodes.removeValue(forKey: name) != nil else { return [] }
            return runs(onNode: name)
        }
    }

    /// What the decision reads about the OMJob at `key`; nil when the cache has no such OMJob.
    public func observation(for key: ObjectKey) -> RunObservation? {
        guard let omJob = omJobs[key] else { return nil }
        let pods = Array(podsByLabel[Self.label(of: key)]?.values ?? [:].values)
        let node = RunObservation.mainPodNode(omJob: omJob, pods: pods, nodes: { nodes[$0] })
        return RunObservation(omJob: omJob, pods: pods, mainPodNode: node)
    }

    public var podCount: Int { podsByLabel.values.reduce(0) { $0 + $1.count } }

    private static func label(of key: ObjectKey) -> ObjectKey {
        ObjectKey(namespace: key.namespace, name: PodNaming.labelValue(key.name))
    }

    private func runs(labelled label: ObjectKey) -> [ObjectKey] {
        (omJobsByLabel[label] ?? []).map { ObjectKey(namespace: label.namespace, name: $0) }
    }

    /// Node changes are rare (readiness flips), so a scan of the pods is cheaper than an index.
    private func runs(onNode node: String) -> [ObjectKey] {
        var keys: Set<ObjectKey> = []
        for (label, pods) in podsByLabel where pods.values.contains(where: { $0.spec?.nodeName == node }) {
            keys.formUnion(runs(labelled: label))
        }
        return keys.sorted()
    }
}
