/// What the operator keeps of a pod it watches: the fields its decisions read, decoded straight
/// from the API's JSON (list items and watch events), so that nothing else is ever allocated.
///
/// Why a projection and not `Pod`: the watcher and the gc cache every labelled pod, and a full
/// decoded pod (env, volumes, tolerations, managedFields skipped but still walked) costs about
/// six times the memory and a third of the watch throughput (see client-bench). Pods are never
/// written back from the cache (the executor creates whole `Pod`s and changes existing ones
/// by patch), so dropping fields here loses nothing on the wire.
///
/// Kept: metadata name, namespace, uid, resourceVersion, creation and deletion timestamps,
/// the operator's own labels (`omjob.pipelines.openmetadata.org/…`, the only ones matched on),
/// ownerReferences and finalizers; `spec.nodeName`; `status` phase, reason, message,
/// startTime, conditions and the status of the operator's container (`main`).
public struct PodView: KubernetesObject, Hashable {
    /// Pods live where pods live.
    public static let resourceType = Pod.resourceType
    /// The only container the operator's pods have (DESIGN.md §3); other containers' statuses
    /// (injected sidecars) are not kept.
    public static let containerName = "main"
    /// Labels under this prefix are kept; the rest are never matched on.
    public static let keptLabelPrefix = "omjob.pipelines.openmetadata.org/"

    public var metadata: ObjectMeta
    public var spec: Spec?
    public var status: Status?

    /// The kept part of core/v1 PodSpec.
    public struct Spec: Codable, Hashable, Sendable {
        /// Set by the scheduler: the node the pod runs on.
        public var nodeName: String?

        public init(nodeName: String?) { self.nodeName = nodeName }
    }

    /// The kept part of core/v1 PodStatus.
    public struct Status: Codable, Hashable, Sendable {
        public var phase: String?
        public var reason: String?
        public var message: String?
        public var startTime: String?
        public var conditions: [PodCondition]?
        /// At most one entry: the status of the container named `main`.
        public var containerStatuses: [ContainerStatus]?

        public init(
            phase: String? = nil, reason: String? = nil, message: String? = nil, startTime: String? = nil,
            conditions: [PodCondition]? = nil, containerStatuses: [ContainerStatus]? = nil
        ) {
            self.phase = phase
            self.reason = reason
            self.message = message
            self.startTime = startTime
            self.conditions = conditions
            self.containerStatuses = containerStatuses.map(PodView.keptContainers)
        }

        private enum CodingKeys: String, CodingKey {
            case phase, reason, message, startTime, conditions, containerStatuses
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            self.init(
                phase: try c.decodeIfPresent(String.self, forKey: .phase),
                reason: try c.decodeIfPresent(String.self, forKey: .reason),
                message: try c.decodeIfPresent(String.self, forKey: .message),
                startTime: try c.decodeIfPresent(String.self, forKey: .startTime),
                conditions: try c.decodeIfPresent([PodCondition].self, forKey: .conditions),
                containerStatuses: try c.decodeIfPresent([ContainerStatus].self, forKey: .containerStatuses))
        }
    }

    public init(metadata: ObjectMeta, spec: Spec?, status: Status?) {
        self.metadata = PodView.keptMetadata(metadata)
        self.spec = spec
        self.status = status
    }

    /// The view an informer would keep of `pod` (tests and in-memory callers; the API path
    /// decodes the view directly).
    public init(_ pod: Pod) {
        self.init(
            metadata: pod.metadata, spec: pod.spec.map { Spec(nodeName: $0.nodeName) },
            status: pod.status.map {
                Status(
                    phase: $0.phase, reason: $0.reason, message: $0.message, startTime: $0.startTime,
                    conditions: $0.conditions, containerStatuses: $0.containerStatuses)
            })
    }

    private enum CodingKeys: String, CodingKey { case metadata, spec, status }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        metadata = try c.decode(KeptMetadata.self, forKey: .metadata).meta  // already projected
        spec = try c.decodeIfPresent(Spec.self, forKey: .spec)
        status = try c.decodeIfPresent(Status.self, forKey: .status)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(metadata, forKey: .metadata)
        try c.encodeIfPresent(spec, forKey: .spec)
        try c.encodeIfPresent(status, forKey: .status)
    }

    /// The status of the container named `name`, when kept.
    public func containerStatus(named name: String) -> ContainerStatus? {
        status?.containerStatuses?.first { $0.name == name }
    }

    /// The pod condition of `type`, when present.
    public func condition(_ type: String) -> PodCondition? {
        status?.conditions?.first { $0.type == type }
    }

    /// This view with the values that repeat across pods (namespace, label keys, owner kinds,
    /// phases, condition lists, node names, timestamps) shared through `interner`.
    public func interned(_ interner: inout Interner) -> PodView {
        var pod = self
        pod.metadata = metadata.interned(&interner)
        pod.spec?.nodeName = interner.intern(spec?.nodeName)
        pod.status?.phase = interner.intern(status?.phase)
        pod.status?.reason = interner.intern(status?.reason)
        pod.status?.startTime = interner.intern(status?.startTime)
        pod.status?.conditions = interner.intern(status?.conditions)
        pod.status?.containerStatuses = interner.intern(status?.containerStatuses)
        return pod
    }

    // MARK: the projection rules, shared by the decoder and `init(_ pod:)`

    static func keptMetadata(_ meta: ObjectMeta) -> ObjectMeta {
        var kept = ObjectMeta(
            name: meta.name, namespace: meta.namespace,
            labels: meta.labels?.filter { $0.key.hasPrefix(keptLabelPrefix) },
            ownerReferences: meta.ownerReferences, finalizers: meta.finalizers)
        kept.uid = meta.uid
        kept.resourceVersion = meta.resourceVersion
        kept.creationTimestamp = meta.creationTimestamp
        kept.deletionTimestamp = meta.deletionTimestamp
        kept.deletionGracePeriodSeconds = meta.deletionGracePeriodSeconds
        return kept
    }

    static func keptContainers(_ statuses: [ContainerStatus]) -> [ContainerStatus] {
        statuses.filter { $0.name == containerName }
    }

    /// Decodes only the kept members of ObjectMeta: annotations, other labels' values and the
    /// rest are skipped without being allocated.
    private struct KeptMetadata: Decodable {
        var meta: ObjectMeta

        private enum CodingKeys: String, CodingKey {
            case name, namespace, uid, resourceVersion, creationTimestamp, deletionTimestamp, deletionGracePeriodSeconds
            case labels, ownerReferences, finalizers
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            meta = ObjectMeta(
                name: try c.decodeIfPresent(String.self, forKey: .name),
                namespace: try c.decodeIfPresent(String.self, forKey: .namespace),
                labels: try Self.keptLabels(c),
                ownerReferences: try c.decodeIfPresent([OwnerReference].self, forKey: .ownerReferences),
                finalizers: try c.decodeIfPresent([String].self, forKey: .finalizers))
            meta.uid = try c.decodeIfPresent(String.self, forKey: .uid)
            meta.resourceVersion = try c.decodeIfPresent(String.self, forKey: .resourceVersion)
            meta.creationTimestamp = try c.decodeIfPresent(String.self, forKey: .creationTimestamp)
            meta.deletionTimestamp = try c.decodeIfPresent(String.self, forKey: .deletionTimestamp)
            meta.deletionGracePeriodSeconds = try c.decodeIfPresent(Int64.self, forKey: .deletionGracePeriodSeconds)
        }

        private struct LabelKey: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        /// The operator's labels, decoding no other label's value.
        private static func keptLabels(_ c: KeyedDecodingContainer<CodingKeys>) throws -> [String: String]? {
            guard c.contains(.labels), try !c.decodeNil(forKey: .labels) else { return nil }
            let labels = try c.nestedContainer(keyedBy: LabelKey.self, forKey: .labels)
            var kept: [String: String] = [:]
            for key in labels.allKeys where key.stringValue.hasPrefix(PodView.keptLabelPrefix) {
                kept[key.stringValue] = try labels.decode(String.self, forKey: key)
            }
            return kept
        }
    }
}
