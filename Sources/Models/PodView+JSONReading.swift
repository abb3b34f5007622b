public import KubeJSON

/// Pod views are read straight from the watch's bytes: the kept members are decoded, every
/// other member (the spec's containers and volumes, managedFields, annotations) is only
/// stepped over. The same projection as `init(from:)`, which stays for other decoders.
extension PodView: JSONReadable {
    public init(reading reader: inout JSONReader) throws(JSONReadError) {
        var metadata: ObjectMeta?
        var spec: Spec?
        var status: Status?
        try reader.readObject { reader, key throws(JSONReadError) in
            if key == "metadata" {
                metadata = try PodView.readKeptMetadata(&reader)
            } else if key == "spec" {
                spec = try reader.readObjectOrNull { reader throws(JSONReadError) in
                    var nodeName: String?
                    try reader.readObject { reader, key throws(JSONReadError) in
                        if key == "nodeName" {
                            nodeName = try reader.readStringOrNull()
                        } else {
                            try reader.skipValue()
                        }
                    }
                    return Spec(nodeName: nodeName)
                }
            } else if key == "status" {
                status = try reader.readObjectOrNull { reader throws(JSONReadError) in try Status(reading: &reader) }
            } else {
                try reader.skipValue()
            }
        }
        guard let metadata else { throw reader.error("pod without metadata") }
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }
}

extension PodView {
    /// The kept metadata (`keptMetadata`), read from the bytes: other labels, annotations and
    /// managedFields are stepped over.
    static func readKeptMetadata(_ reader: inout JSONReader) throws(JSONReadError) -> ObjectMeta {
        var meta = try ObjectMeta(
            reading: &reader, keepingLabels: { $0.hasPrefix(PodView.keptLabelPrefix) }, annotations: false)
        // Not kept (`keptMetadata`): no decision reads them.
        meta.generation = nil
        meta.generateName = nil
        return meta
    }
}

/// A pod read for its kept metadata and `status.phase` only, for a cache whose rules read
/// nothing else of a pod's status (the gc's, of exit-handler pods): the spec and every other
/// status member are stepped over unread. `pod` is the view with no spec and a status of
/// the phase alone.
public struct PodPhaseView: KubernetesObject, Hashable {
    public static var resourceType: ResourceType { Pod.resourceType }

    public var pod: PodView

    /// The phase view of `pod`.
    public init(_ pod: PodView) {
        self.pod = pod
        self.pod.spec = nil
        self.pod.status = pod.status.map { PodView.Status(phase: $0.phase) }
    }

    public var metadata: ObjectMeta {
        get { pod.metadata }
        set { pod.metadata = newValue }
    }

    public init(from decoder: any Decoder) throws { self.init(try PodView(from: decoder)) }

    public func encode(to encoder: any Encoder) throws { try pod.encode(to: encoder) }

    /// This view with its repeated values shared through `interner` (``PodView/interned(_:)``).
    public func interned(_ interner: inout Interner) -> PodPhaseView {
        var kept = self
        kept.pod = pod.interned(&interner)
        return kept
    }
}

extension PodPhaseView: JSONReadable {
    public init(reading reader: inout JSONReader) throws(JSONReadError) {
        var metadata: ObjectMeta?
        var status: PodView.Status?
        try reader.readObject { reader, key throws(JSONReadError) in
            if key == "metadata" {
                metadata = try PodView.readKeptMetadata(&reader)
            } else if key == "status" {
                status = try reader.readObjectOrNull { reader throws(JSONReadError) in
                    var phase: String?
                    try reader.readObject { reader, key throws(JSONReadError) in
                        if key == "phase" { phase = try reader.readStringOrNull() } else { try reader.skipValue() }
                    }
                    return PodView.Status(phase: phase)
                }
            } else {
                try reader.skipValue()
            }
        }
        guard let metadata else { throw reader.error("pod without metadata") }
        // `metadata` is already the kept projection: set after init, not projected again.
        pod = PodView(metadata: ObjectMeta(), spec: nil, status: status)
        pod.metadata = metadata
    }
}

extension PodView.Status {
    init(reading reader: inout JSONReader) throws(JSONReadError) {
        var phase: String?
        var reason: String?
        var message: String?
        var startTime: String?
        var conditions: [PodCondition]?
        var containers: [ContainerStatus]?
        try reader.readObject { reader, key throws(JSONReadError) in
            if key == "phase" {
                phase = try reader.readStringOrNull()
            } else if key == "reason" {
                reason = try reader.readStringOrNull()
            } else if key == "message" {
                message = try reader.readStringOrNull()
            } else if key == "startTime" {
                startTime = try reader.readStringOrNull()
            } else if key == "conditions" {
                conditions = try reader.readArrayOrNull { reader throws(JSONReadError) in
                    try PodCondition(reading: &reader)
                }
            } else if key == "containerStatuses" {
                containers = try reader.readArrayOrNull { reader throws(JSONReadError) in
                    try ContainerStatus(reading: &reader)
                }
            } else {
                try reader.skipValue()
            }
        }
        self.init(
            phase: phase, reason: reason, message: message, startTime: startTime, conditions: conditions,
            containerStatuses: containers)
    }
}

extension ObjectMeta {
    /// Reads metav1.ObjectMeta; labels whose name `keepingLabels` refuses (every label, and the
    /// member left nil, when it is nil), and annotations unless `annotations`, are skipped
    /// unallocated.
    public init(
        reading reader: inout JSONReader, keepingLabels: ((JSONKey) -> Bool)? = { _ in true },
        annotations: Bool = true
    ) throws(JSONReadError) {
        self.init()
        var meta = self
        try reader.readObject { reader, key throws(JSONReadError) in
            if key == "name" {
                meta.name = try reader.readStringOrNull()
            } else if key == "namespace" {
                meta.namespace = try reader.readStringOrNull()
            } else if key == "uid" {
                meta.uid = try reader.readStringOrNull()
            } else if key == "resourceVersion" {
                meta.resourceVersion = try reader.readStringOrNull()
            } else if key == "generateName" {
                meta.generateName = try reader.readStringOrNull()
            } else if key == "generation" {
                meta.generation = try reader.readInt64OrNull()
            } else if key == "creationTimestamp" {
                meta.creationTimestamp = try reader.readStringOrNull()
            } else if key == "deletionTimestamp" {
                meta.deletionTimestamp = try reader.readStringOrNull()
            } else if key == "deletionGracePeriodSeconds" {
                meta.deletionGracePeriodSeconds = try reader.readInt64OrNull()
            } else if key == "labels", let keepingLabels {
                meta.labels = try reader.readStringMapOrNull(keeping: keepingLabels)
            } else if key == "annotations", annotations {
                meta.annotations = try reader.readStringMapOrNull()
            } else if key == "ownerReferences" {
                meta.ownerReferences = try reader.readArrayOrNull { reader throws(JSONReadError) in
                    try OwnerReference(reading: &reader)
                }
            } else if key == "finalizers" {
                meta.finalizers = try reader.readStringArrayOrNull()
            } else {
                try reader.skipValue()
            }
        }
        self = meta
    }
}

extension OwnerReference {
    init(reading reader: inout JSONReader) throws(JSONReadError) {
        var apiVersion: String?
        var kind: String?
        var name: String?
        var uid: String?
        var controller: Bool?
        var blockOwnerDeletion: Bool?
        try reader.readObject { reader, key throws(JSONReadError) in
            if key == "apiVersion" {
                apiVersion = try reader.readString()
            } else if key == "kind" {
                kind = try reader.readString()
            } else if key == "name" {
                name = try reader.readString()
            } else if key == "uid" {
                uid = try reader.readString()
            } else if key == "controller" {
                controller = try reader.readBoolOrNull()
            } else if key == "blockOwnerDeletion" {
                blockOwnerDeletion = try reader.readBoolOrNull()
            } else {
                try reader.skipValue()
            }
        }
        guard let apiVersion, let kind, let name, let uid else {
            throw reader.error("ownerReference without apiVersion, kind, name or uid")
        }
        self.init(
            apiVersion: apiVersion, kind: kind, name: name, uid: uid, controller: controller,
            blockOwnerDeletion: blockOwnerDeletion)
    }
}

extension PodCondition {
    init(reading reader: inout JSONReader) throws(JSONReadError) {
        var type: String?
        var status: String?
        var reason: String?
        var message: String?
        var lastTransitionTime: String?
        try reader.readObject { reader, key throws(JSONReadError) in
            if key == "type" {
                type = try reader.readString()
            } else if key == "status" {
                status = try reader.readString()
            } else if key == "reason" {
                reason = try reader.readStringOrNull()
            } else if key == "message" {
                message = try reader.readStringOrNull()
            } else if key == "lastTransitionTime" {
                lastTransitionTime = try reader.readStringOrNull()
            } else {
                try reader.skipValue()
            }
        }
        guard let type, let status else { throw reader.error("pod condition without type or status") }
        self.init(type: type, status: status, reason: reason, message: message, lastTransitionTime: lastTransitionTime)
    }
}

extension ContainerStatus {
    init(reading reader: inout JSONReader) throws(JSONReadError) {
        var name: String?
        var state: ContainerState?
        var lastState: ContainerState?
        var ready: Bool?
        var started: Bool?
        var restartCount: Int?
        try reader.readObject { reader, key throws(JSONReadError) in
            if key == "name" {
                name = try reader.readString()
            } else if key == "state" {
                state = try reader.readObjectOrNull { reader throws(JSONReadError) in
                    try ContainerState(reading: &reader)
                }
            } else if key == "lastState" {
                lastState = try reader.readObjectOrNull { reader throws(JSONReadError) in
                    try ContainerState(reading: &reader)
                }
            } else if key == "ready" {
                ready = try reader.readBoolOrNull()
            } else if key == "started" {
                started = try reader.readBoolOrNull()
            } else if key == "restartCount" {
                restartCount = try reader.readIntOrNull()
            } else {
                try reader.skipValue()
            }
        }
        guard let name else { throw reader.error("container status without name") }
        self.init(name: name, state: state)
        self.lastState = lastState
        self.ready = ready
        self.started = started
        self.restartCount = restartCount
    }
}

extension ContainerState {
    init(reading reader: inout JSONReader) throws(JSONReadError) {
        self.init()
        var state = self
        try reader.readObject { reader, key throws(JSONReadError) in
            if key == "waiting" {
                state.waiting = try reader.readObjectOrNull { reader throws(JSONReadError) in
                    var reason: String?
                    var message: String?
                    try reader.readObject { reader, key throws(JSONReadError) in
                        if key == "reason" {
                            reason = try reader.readStringOrNull()
                        } else if key == "message" {
                            message = try reader.readStringOrNull()
                        } else {
                            try reader.skipValue()
                        }
                    }
                    return ContainerStateWaiting(reason: reason, message: message)
                }
            } else if key == "running" {
                state.running = try reader.readObjectOrNull { reader throws(JSONReadError) in
                    var startedAt: String?
                    try reader.readObject { reader, key throws(JSONReadError) in
                        if key == "startedAt" {
                            startedAt = try reader.readStringOrNull()
                        } else {
                            try reader.skipValue()
                        }
                    }
                    return ContainerStateRunning(startedAt: startedAt)
                }
            } else if key == "terminated" {
                state.terminated = try reader.readObjectOrNull { reader throws(JSONReadError) in
                    try ContainerStateTerminated(reading: &reader)
                }
            } else {
                try reader.skipValue()
            }
        }
        self = state
    }
}

extension ContainerStateTerminated {
    init(reading reader: inout JSONReader) throws(JSONReadError) {
        var exitCode: Int?
        var signal: Int?
        var reason: String?
        var message: String?
        var startedAt: String?
        var finishedAt: String?
        try reader.readObject { reader, key throws(JSONReadError) in
            if key == "exitCode" {
                exitCode = Int(try reader.readInt64())
            } else if key == "signal" {
                signal = try reader.readIntOrNull()
            } else if key == "reason" {
                reason = try reader.readStringOrNull()
            } else if key == "message" {
                message = try reader.readStringOrNull()
            } else if key == "startedAt" {
                startedAt = try reader.readStringOrNull()
            } else if key == "finishedAt" {
                finishedAt = try reader.readStringOrNull()
            } else {
                try reader.skipValue()
            }
        }
        guard let exitCode else { throw reader.error("terminated state without exitCode") }
        self.init(
            exitCode: exitCode, signal: signal, reason: reason, message: message, startedAt: startedAt,
            finishedAt: finishedAt)
    }
}
