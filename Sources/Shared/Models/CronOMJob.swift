/// A schedule of OpenMetadata pipeline runs (`pipelines.openmetadata.org/v1`, kind CronOMJob).
public struct CronOMJob: KubernetesObject, Hashable {
    /// Where CronOMJobs live in the API.
    public static let resourceType = ResourceType(group: "pipelines.openmetadata.org", version: "v1", kind: "CronOMJob", plural: "cronomjobs")

    public var apiVersion: String?
    public var kind: String?
    public var metadata: ObjectMeta
    public var spec: CronOMJobSpec?
    public var status: CronOMJobStatus?

    public init(metadata: ObjectMeta, spec: CronOMJobSpec?, status: CronOMJobStatus? = nil) {
        self.apiVersion = Self.resourceType.apiVersion
        self.kind = Self.resourceType.kind
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }
}

/// CronOMJob `spec` (DESIGN.md §3).
public struct CronOMJobSpec: Codable, Hashable, Sendable {
    /// 5-field cron expression or an `@hourly`-style macro.
    public var schedule: String
    /// IANA zone; UTC when unset.
    public var timeZone: String?
    public var suspend: Bool?
    public var startingDeadlineSeconds: Int?
    public var concurrencyPolicy: ConcurrencyPolicy?
    public var successfulJobsHistoryLimit: Int?
    public var failedJobsHistoryLimit: Int?
    public var omJobSpec: OMJobSpec

    public init(schedule: String, omJobSpec: OMJobSpec) {
        self.schedule = schedule
        self.omJobSpec = omJobSpec
    }
}

/// What to do when a run is due while another is still running.
public enum ConcurrencyPolicy: String, Codable, Hashable, Sendable {
    /// Start the new run anyway (the default, for compatibility with the Java operator).
    case allow = "Allow"
    /// Skip the new run.
    case forbid = "Forbid"
    /// Delete the running one, then start the new one.
    case replace = "Replace"
}

/// CronOMJob `status`.
public struct CronOMJobStatus: Codable, Hashable, Sendable {
    public var active: [ObjectReference]?
    public var lastScheduleTime: String?
    public var lastSuccessfulTime: String?
    public var lastOMJobName: String?
    public var message: String?
    public var observedGeneration: Int64?
    public var conditions: [Condition]?

    public init() {}
}
