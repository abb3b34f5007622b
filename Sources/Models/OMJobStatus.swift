/// OMJob `status`: the compatible fields OpenMetadata reads plus the evidence this operator records.
/// Every field here is declared in deploy/crds/omjob.yaml, or the API server would prune it.
public struct OMJobStatus: Codable, Hashable, Sendable {
    public var phase: OMJobPhase?
    public var observedGeneration: Int64?
    public var mainPodName: String?
    public var exitHandlerPodName: String?
    public var startTime: String?
    public var completionTime: String?
    public var message: String?
    public var mainPodExitCode: Int?
    public var mainPodTermination: MainPodTermination?
    /// Exit-handler pods created so far.
    public var exitHandlerAttempts: Int?
    public var exitHandlerExitCode: Int?
    public var exitHandlerReason: String?
    public var exitHandlerLastFailureTime: String?
    /// Written by the executor when the API server rejects a pod for good.
    public var podCreateFailure: PodCreateFailure?
    /// Written by the gc when it deletes the run's pods.
    public var cleanupTime: String?
    public var conditions: [Condition]?

    public init(phase: OMJobPhase? = nil) { self.phase = phase }
}

/// The run's phase: Pending → Running → ExitHandlerRunning → Succeeded | Failed.
public enum OMJobPhase: String, Codable, Hashable, Sendable, CaseIterable {
    /// Accepted; the main pod is being created or has not started.
    case pending = "Pending"
    /// The main pod runs.
    case running = "Running"
    /// The main pod ended (recorded in `mainPodTermination`); the exit handler runs.
    case exitHandlerRunning = "ExitHandlerRunning"
    /// The exit handler exited 0 (or, with none, the main pod completed).
    case succeeded = "Succeeded"
    /// The exit handler failed every attempt (or, with none, the main pod did not complete), or the spec is invalid.
    case failed = "Failed"

    /// Succeeded or Failed: nothing more will happen to the run.
    public var isFinished: Bool { self == .succeeded || self == .failed }
}

/// How the main pod ended, with the evidence it was read from. Recorded once, never rewritten; only
/// `stopRequestedAt` is added afterwards, when the main pod of an ending whose container may still
/// run is asked to stop.
public struct MainPodTermination: Codable, Hashable, Sendable {
    /// Completed, Error, OOMKilled, Evicted, PodDeleted, NodeLost, PodLost, NeverStarted/<reason>, CreateFailed, Killed, …
    public var reason: String
    public var message: String?
    public var exitCode: Int?
    public var signal: Int?
    /// Which classification rule matched (a `TerminationSource` raw value).
    public var source: String
    /// True when the container may still be running (node lost, stop not confirmed).
    public var containerMayStillRun: Bool?
    /// When the main pod's deletion was asked, for an ending whose container may still run, so that
    /// a node that returns stops the container: by the operator as it starts the exit handler, or
    /// before it by whoever deleted the pod. Absent while not asked, and when the pod had already
    /// ended on its own or was gone.
    public var stopRequestedAt: String?
    public var startedAt: String?
    public var finishedAt: String?
    public var recordedAt: String?

    public init(
        reason: String, message: String? = nil, exitCode: Int? = nil, signal: Int? = nil, source: String,
        containerMayStillRun: Bool? = nil, stopRequestedAt: String? = nil, startedAt: String? = nil,
        finishedAt: String? = nil, recordedAt: String? = nil
    ) {
        self.reason = reason
        self.message = message
        self.exitCode = exitCode
        self.signal = signal
        self.source = source
        self.containerMayStillRun = containerMayStillRun
        self.stopRequestedAt = stopRequestedAt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.recordedAt = recordedAt
    }

    /// True only for a main pod that ran to completion with exit code 0: `pipelineStatus=success`.
    public var isSuccess: Bool { reason == "Completed" && (exitCode ?? 0) == 0 }
}

/// The pod kinds of a run, as in the `omjob.pipelines.openmetadata.org/pod-type` label.
public enum PodType: String, Codable, Hashable, Sendable {
    /// The pipeline run itself.
    case main = "main"
    /// An exit-handler attempt.
    case exitHandler = "exit-handler"
}

/// A pod creation the API server rejected for good (Invalid, Forbidden, quota), recorded by the executor
/// so that the decision (which never sees command outcomes) can end the run with `CreateFailed`.
public struct PodCreateFailure: Codable, Hashable, Sendable {
    public var podType: PodType
    public var podName: String
    /// 1 for the main pod; the exit-handler attempt number otherwise.
    public var attempt: Int
    public var reason: String?
    public var code: Int?
    public var message: String?
    public var time: String?

    public init(
        podType: PodType, podName: String, attempt: Int, reason: String? = nil, code: Int? = nil,
        message: String? = nil, time: String? = nil
    ) {
        self.podType = podType
        self.podName = podName
        self.attempt = attempt
        self.reason = reason
        self.code = code
        self.message = message
        self.time = time
    }
}
