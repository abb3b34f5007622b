import Models

/// The environment the exit handler reads: what OpenMetadata's exit_handler.py expects
/// (`pipelineStatus`) plus the facts about the main pod's ending that the Java operator loses.
public enum ExitHandlerEnvironment {
    /// `success` or `failed`: read by exit_handler.py to set the pipeline's final state.
    public static let pipelineStatus = "pipelineStatus"
    public static let omJobName = "OMJOB_NAME"
    public static let omJobNamespace = "OMJOB_NAMESPACE"
    public static let mainPodName = "OMJOB_MAIN_POD_NAME"
    /// Empty when the exit code is unknown (node lost, pod lost, never started).
    public static let mainExitCode = "OMJOB_MAIN_EXIT_CODE"
    public static let mainReason = "OMJOB_MAIN_REASON"
    public static let mainMessage = "OMJOB_MAIN_MESSAGE"
    /// 1 for the first exit-handler pod, 2 for the first retry, …
    public static let attempt = "OMJOB_EXIT_HANDLER_ATTEMPT"

    /// The operator's variables; they replace any variable of the same name in the spec, so the
    /// exit handler can trust them.
    static func variables(omJob: OMJob, mainPodName: String, ending: MainPodTermination, attempt: Int) -> [EnvVar] {
        [
            EnvVar(name: pipelineStatus, value: ending.isSuccess ? "success" : "failed"),
            EnvVar(name: omJobName, value: omJob.metadata.name ?? ""),
            EnvVar(name: omJobNamespace, value: omJob.metadata.namespace ?? ""),
            EnvVar(name: Self.mainPodName, value: mainPodName),
            EnvVar(name: mainExitCode, value: ending.exitCode.map(String.init) ?? ""),
            EnvVar(name: mainReason, value: ending.reason),
            EnvVar(name: mainMessage, value: ending.message ?? ""),
            EnvVar(name: Self.attempt, value: String(attempt)),
        ]
    }

    /// The spec's variables (empty `valueFrom` dropped), minus those the operator sets, then the operator's.
    static func merge(spec: [EnvVar]?, operatorVariables: [EnvVar]) -> [EnvVar] {
        let ours = Set(operatorVariables.map(\.name))
        return PodBuilder.containerEnv(spec).filter { !ours.contains($0.name) } + operatorVariables
    }
}
