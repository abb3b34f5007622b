/// The label, annotation and finalizer names the operator puts on the objects it owns.
/// One list, so that the watcher's selectors, the pod builder, the executor's ownership check and the
/// gc all agree.
public enum OperatorLabels {
    /// Sanitised OMJob name (≤ 63); OpenMetadata's exit_handler.py selects the main pod by it.
    public static let omJobName = "omjob.pipelines.openmetadata.org/name"
    /// `main` or `exit-handler` (see `PodType`).
    public static let podType = "omjob.pipelines.openmetadata.org/pod-type"
    /// The OMJob's UID: identifies the owner of pods created without an ownerReference (during a kill).
    public static let omJobUID = "omjob.pipelines.openmetadata.org/uid"
    /// Exit-handler attempt number (1, 2, …).
    public static let attempt = "omjob.pipelines.openmetadata.org/attempt"

    public static let appName = "app.kubernetes.io/name"
    public static let appComponent = "app.kubernetes.io/component"
    public static let managedBy = "app.kubernetes.io/managed-by"
    /// Copied from the OMJob when present (OpenMetadata reads logs by it).
    public static let pipeline = "app.kubernetes.io/pipeline"
    /// Copied from the OMJob when present (exit_handler.py's fallback selector).
    public static let runID = "app.kubernetes.io/run-id"

    /// Value of `app.kubernetes.io/name` on every pod.
    public static let appNameValue = "openmetadata"
    /// Value of `app.kubernetes.io/component` on every pod.
    public static let componentValue = "ingestion"
    /// Value of `app.kubernetes.io/managed-by` on every pod (it wins over OpenMetadata's `openmetadata`).
    public static let managedByValue = "omjob-operator"

    /// The one finalizer the operator adds, to OMJobs and to main pods: "an exit handler still has to run".
    public static let finalizer = "omjob.pipelines.openmetadata.org/exit-handler"

    /// The component name on Events and in logs.
    public static let component = "omjob-operator"

    /// The shard (`SHARD`) whose replicas elect on a Lease.
    public static let shard = "omjob.pipelines.openmetadata.org/shard"

    /// The labels of the Lease replicas elect on: `managed-by`, and `shard` when the shard has a
    /// name. Uninstalling finds the Lease by them.
    public static func lease(shard: String) -> [String: String] {
        var labels = [managedBy: managedByValue]
        if !shard.isEmpty { labels[Self.shard] = shard }
        return labels
    }
}

/// The annotations on an OMJob that hold what the operator must remember about its run.
///
/// A CRD schema may prune any status field it does not declare (OpenMetadata's chart declares
/// only the Java operator's seven), and the status subresource ignores metadata, so the
/// decision's memory lives in the OMJob's annotations, which no schema prunes. The rich status
/// fields are still written for users whose CRD keeps them, and never read back when an
/// annotation says otherwise (`RunRecord`).
public enum RecordAnnotations {
    /// `MainPodTermination` as JSON: how the main pod ended, recorded once (`stopRequestedAt` added later).
    public static let mainPodTermination = "omjob.pipelines.openmetadata.org/main-pod-termination"
    /// Exit-handler pods created so far, as a decimal number.
    public static let exitHandlerAttempts = "omjob.pipelines.openmetadata.org/exit-handler-attempts"
    /// `PodCreateFailure` as JSON: the last pod the API server rejected for good.
    public static let podCreateFailure = "omjob.pipelines.openmetadata.org/pod-create-failure"
    /// When the gc deleted the finished run's pods (RFC 3339).
    public static let cleanupTime = "omjob.pipelines.openmetadata.org/cleanup-time"

    /// Every key, for tools that list or strip the operator's memory.
    public static let all = [mainPodTermination, exitHandlerAttempts, podCreateFailure, cleanupTime]
}
