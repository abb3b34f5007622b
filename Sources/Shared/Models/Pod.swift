public import KubeJSON

/// core/v1 Pod: the parts the operator writes (when it creates a run's pods) and reads (to see how
/// they ended). Pods are never written back whole, so members not modelled here are not kept.
public struct Pod: KubernetesObject, Hashable {
    /// Where pods live in the API.
    public static let resourceType = ResourceType(group: "", version: "v1", kind: "Pod", plural: "pods")

    public var apiVersion: String?
    public var kind: String?
    public var metadata: ObjectMeta
    public var spec: PodSpec?
    public var status: PodStatus?

    public init(metadata: ObjectMeta, spec: PodSpec?, status: PodStatus? = nil) {
        self.apiVersion = "v1"
        self.kind = "Pod"
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }
}

/// core/v1 PodSpec (the members the operator sets or reads).
public struct PodSpec: Codable, Hashable, Sendable {
    public var containers: [Container]
    public var restartPolicy: String?
    public var serviceAccountName: String?
    public var imagePullSecrets: [LocalObjectReference]?
    public var nodeSelector: [String: String]?
    public var tolerations: [JSONValue]?
    public var affinity: JSONValue?
    public var priorityClassName: String?
    public var securityContext: JSONValue?
    public var terminationGracePeriodSeconds: Int?
    /// Set by the scheduler: the node the pod runs on.
    public var nodeName: String?

    public init(containers: [Container]) { self.containers = containers }
}

/// core/v1 Container (the members the operator sets).
public struct Container: Codable, Hashable, Sendable {
    public var name: String
    public var image: String?
    public var imagePullPolicy: String?
    public var command: [String]?
    public var args: [String]?
    public var env: [EnvVar]?
    public var resources: ResourceRequirements?
    public var securityContext: SecurityContext?

    public init(name: String, image: String?) {
        self.name = name
        self.image = image
    }
}

/// core/v1 SecurityContext of a container.
public struct SecurityContext: Codable, Hashable, Sendable {
    public var allowPrivilegeEscalation: Bool?
    public var privileged: Bool?
    public var capabilities: Capabilities?
    public var runAsNonRoot: Bool?
    public var runAsUser: Int64?
    public var runAsGroup: Int64?
    public var readOnlyRootFilesystem: Bool?

    public init() {}
}

/// core/v1 Capabilities.
public struct Capabilities: Codable, Hashable, Sendable {
    public var add: [String]?
    public var drop: [String]?

    public init(add: [String]? = nil, drop: [String]? = nil) {
        self.add = add
        self.drop = drop
    }
}

/// core/v1 PodStatus (the members that say how a pod is doing or how it ended).
public struct PodStatus: Codable, Hashable, Sendable {
    /// Pending, Running, Succeeded, Failed or Unknown.
    public var phase: String?
    /// Why the pod is in this state: Evicted, DeadlineExceeded, Shutdown, NodeLost, UnexpectedAdmissionError…
    public var reason: String?
    public var message: String?
    public var conditions: [PodCondition]?
    public var containerStatuses: [ContainerStatus]?
    public var startTime: String?

    public init(phase: String? = nil) { self.phase = phase }
}

/// core/v1 PodCondition (PodScheduled, Ready, DisruptionTarget, …).
public struct PodCondition: Codable, Hashable, Sendable {
    public var type: String
    public var status: String
    public var reason: String?
    public var message: String?
    public var lastTransitionTime: String?

    public init(
        type: String, status: String, reason: String? = nil, message: String? = nil, lastTransitionTime: String? = nil
    ) {
        self.type = type
        self.status = status
        self.reason = reason
        self.message = message
        self.lastTransitionTime = lastTransitionTime
    }
}

/// core/v1 ContainerStatus.
public struct ContainerStatus: Codable, Hashable, Sendable {
    public var name: String
    public var state: ContainerState?
    public var lastState: ContainerState?
    public var ready: Bool?
    public var started: Bool?
    public var restartCount: Int?

    public init(name: String, state: ContainerState?) {
        self.name = name
        self.state = state
    }
}

/// core/v1 ContainerState: exactly one of waiting, running, terminated is set.
public struct ContainerState: Codable, Hashable, Sendable {
    public var waiting: ContainerStateWaiting?
    public var running: ContainerStateRunning?
    public var terminated: ContainerStateTerminated?

    public init(
        waiting: ContainerStateWaiting? = nil, running: ContainerStateRunning? = nil,
        terminated: ContainerStateTerminated? = nil
    ) {
        self.waiting = waiting
        self.running = running
        self.terminated = terminated
    }
}

/// core/v1 ContainerStateWaiting (ContainerCreating, ImagePullBackOff, ErrImagePull, …).
public struct ContainerStateWaiting: Codable, Hashable, Sendable {
    public var reason: String?
    public var message: String?

    public init(reason: String?, message: String? = nil) {
        self.reason = reason
        self.message = message
    }
}

/// core/v1 ContainerStateRunning.
public struct ContainerStateRunning: Codable, Hashable, Sendable {
    public var startedAt: String?

    public init(startedAt: String?) { self.startedAt = startedAt }
}

/// core/v1 ContainerStateTerminated: exit code, signal and the runtime's reason (Completed, Error, OOMKilled…).
public struct ContainerStateTerminated: Codable, Hashable, Sendable {
    public var exitCode: Int
    public var signal: Int?
    public var reason: String?
    public var message: String?
    public var startedAt: String?
    public var finishedAt: String?

    public init(
        exitCode: Int, signal: Int? = nil, reason: String? = nil, message: String? = nil, startedAt: String? = nil,
        finishedAt: String? = nil
    ) {
        self.exitCode = exitCode
        self.signal = signal
        self.reason = reason
        self.message = message
        self.startedAt = startedAt
        self.finishedAt = finishedAt
    }
}

extension Pod {
    /// The status of the container named `name` (the operator's pods have one, named `main`).
    public func containerStatus(named name: String) -> ContainerStatus? {
        status?.containerStatuses?.first { $0.name == name }
    }

    /// The pod condition of `type`, when present.
    public func condition(_ type: String) -> PodCondition? {
        status?.conditions?.first { $0.type == type }
    }
}
