public import KubeJSON

/// OMJob `spec`: the main pod, the optional exit handler, and the limits that bound a run.
///
/// Field names are OpenMetadata's (docs/architecture.md#resource-contract); the deadline and retry fields are this
/// operator's additions, all optional, with operator-wide defaults (see `RunSettings`).
public struct OMJobSpec: Codable, Hashable, Sendable {
    public var mainPodSpec: OMJobPodSpec?
    public var exitHandlerSpec: OMJobPodSpec?
    public var ttlSecondsAfterFinished: Int?
    /// Longest the main pod may run, from its start; unset means no limit.
    public var activeDeadlineSeconds: Int?
    /// Longest the main pod may stay unstarted before the run records NeverStarted.
    public var mainPodStartDeadlineSeconds: Int?
    /// How long the main pod's node may be not Ready before the run records NodeLost.
    public var nodeLostThresholdSeconds: Int?
    /// Retries of a failed exit handler (attempts = 1 + limit).
    public var exitHandlerBackoffLimit: Int?
    /// First retry delay, doubled for each later retry.
    public var exitHandlerBackoffSeconds: Int?
    /// Longest an exit-handler pod may stay unstarted before the attempt counts as failed.
    public var exitHandlerStartDeadlineSeconds: Int?
    /// Longest an exit-handler pod may run before the attempt counts as failed.
    public var exitHandlerActiveDeadlineSeconds: Int?
    /// Longest a deleted ("killed") OMJob is kept to stop its main pod and run its exit handler.
    public var killDeadlineSeconds: Int?

    public init(mainPodSpec: OMJobPodSpec?, exitHandlerSpec: OMJobPodSpec? = nil, ttlSecondsAfterFinished: Int? = nil) {
        self.mainPodSpec = mainPodSpec
        self.exitHandlerSpec = exitHandlerSpec
        self.ttlSecondsAfterFinished = ttlSecondsAfterFinished
    }
}

/// The pod-shaped part of an OMJob spec (`mainPodSpec`, `exitHandlerSpec`): one container's worth
/// of settings plus the pod-level ones OpenMetadata sends.
///
/// Open-ended Kubernetes types (security context, tolerations, affinity) stay `JSONValue`, so
/// fields this operator does not know are passed to the pod unchanged.
public struct OMJobPodSpec: Codable, Hashable, Sendable {
    public var image: String?
    public var imagePullPolicy: String?
    public var imagePullSecrets: [LocalObjectReference]?
    public var serviceAccountName: String?
    public var command: [String]?
    public var args: [String]?
    public var env: [EnvVar]?
    public var resources: ResourceRequirements?
    public var nodeSelector: [String: String]?
    public var tolerations: [JSONValue]?
    public var affinity: JSONValue?
    public var priorityClassName: String?
    /// Pod-level core/v1 PodSecurityContext.
    public var securityContext: JSONValue?
    public var labels: [String: String]?
    public var annotations: [String: String]?

    public init(image: String?, command: [String]?, serviceAccountName: String? = nil, env: [EnvVar]? = nil) {
        self.image = image
        self.command = command
        self.serviceAccountName = serviceAccountName
        self.env = env
    }
}
