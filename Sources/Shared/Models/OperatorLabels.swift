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
}
