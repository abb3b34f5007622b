import Shared

/// The fields of a pod the operator's decision reads (metadata, node, phase, reason, container
/// states, conditions): what an informer should keep when full pods cost too much memory.
/// Decoding straight into it skips the rest of the JSON, so nothing else is ever allocated.
struct PodView: KubernetesObject, Hashable {
    static let resourceType = Pod.resourceType
    var metadata: ObjectMeta
    var nodeName: String?
    var phase: String?
    var reason: String?
    var containerStatuses: [ContainerStatus]?
    var conditions: [PodCondition]?

    private enum Keys: String, CodingKey { case metadata, spec, status }
    private enum SpecKeys: String, CodingKey { case nodeName }
    private enum StatusKeys: String, CodingKey { case phase, reason, containerStatuses, conditions }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        metadata = try c.decode(ObjectMeta.self, forKey: .metadata)
        if c.contains(.spec) {
            nodeName = try c.nestedContainer(keyedBy: SpecKeys.self, forKey: .spec).decodeIfPresent(String.self, forKey: .nodeName)
        }
        if c.contains(.status) {
            let s = try c.nestedContainer(keyedBy: StatusKeys.self, forKey: .status)
            phase = try s.decodeIfPresent(String.self, forKey: .phase)
            reason = try s.decodeIfPresent(String.self, forKey: .reason)
            containerStatuses = try s.decodeIfPresent([ContainerStatus].self, forKey: .containerStatuses)
            conditions = try s.decodeIfPresent([PodCondition].self, forKey: .conditions)
        }
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(metadata, forKey: .metadata)
    }

    /// Shares the strings that repeat across pods (phases, reasons, condition types, timestamps).
    func interned(_ interner: inout Interner) -> PodView {
        var pod = self
        pod.metadata = metadata.interned(&interner)
        pod.nodeName = interner.intern(nodeName)
        pod.phase = interner.intern(phase)
        pod.conditions = interner.intern(conditions)
        pod.containerStatuses = interner.intern(containerStatuses)
        return pod
    }
}
