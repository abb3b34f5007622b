/// A schedule of OpenMetadata pipeline runs (`pipelines.openmetadata.org/v1`, kind CronOMJob).
public struct CronOMJob: KubernetesObject, Hashable {
    /// Where CronOMJobs live in the API.
    public static let resourceType = ResourceType(
        group: "pipelines.openmetadata.org", version: "v1", kind: "CronOMJob", plural: "cronomjobs")

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

/// How a run names the CronOMJob that scheduled it.
///
/// By name in an annotation, not by an ownerReference: Kubernetes' garbage collector would
/// delete a running run with its CronOMJob, and deleting an OMJob is how OpenMetadata kills a
/// run. OpenMetadata deletes and re-creates its CronOMJobs on every redeploy, so runs must
/// outlive them: a run in progress finishes and its exit handler runs, and a CronOMJob
/// re-created under the same name takes over its predecessor's history (Forbid, limits).
/// Runs made with a controller ownerReference (before this annotation) are still recognised.
public enum CronOwnership {
    /// The annotation holding the scheduling CronOMJob's name (the run is in its namespace).
    public static let annotation = "omjob.pipelines.openmetadata.org/cronomjob"
    /// The annotation recording the slot a run was created for (RFC 3339, UTC).
    public static let slotAnnotation = "omjob.pipelines.openmetadata.org/scheduled-time"

    /// The name of the CronOMJob that scheduled `run`, if any.
    public static func cronName(of run: OMJob) -> String? {
        if let name = run.metadata.annotations?[annotation], !name.isEmpty { return name }
        return run.metadata.ownerReferences?.first { $0.controller == true && $0.kind == CronOMJob.resourceType.kind }?
            .name
    }

    /// Whether `run` belongs to `cron`'s schedule: it names `cron`, or is controlled by its UID.
    public static func isRun(_ run: OMJob, of cron: CronOMJob) -> Bool {
        if let name = run.metadata.annotations?[annotation], !name.isEmpty { return name == cron.metadata.name }
        guard let uid = cron.metadata.uid else { return false }
        return run.metadata.ownerReferences?.contains { $0.uid == uid && $0.controller == true } ?? false
    }
}

extension CronOMJobSpec {
    /// The deadline for a late slot, in seconds; nil for none. `0` means none, as it did for the
    /// Java operator (OpenMetadata sends it), not "never start late".
    public var startingDeadline: Int? { startingDeadlineSeconds.flatMap { $0 > 0 ? $0 : nil } }
}
