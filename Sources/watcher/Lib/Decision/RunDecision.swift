import Foundation
import Shared

/// The outcome of one decision about one run: the writes to perform, in order, and when to look
/// again if nothing changes before then.
public struct RunDecision: Hashable, Sendable {
    /// Commands in execution order (the broker keeps one run's commands in order).
    public var commands: [Command]
    /// The status this decision writes, when it writes one.
    public var status: OMJobStatus?
    /// The earliest deadline that could change the decision with no event (start deadline, node-loss
    /// threshold, deletion grace, active deadline, retry backoff, kill deadline); nil when only an
    /// event can.
    public var nextLook: Date?

    /// The phase change this decision writes (for `omjob_status_transitions_total{from_phase,to_phase}`).
    public var transition: PhaseTransition?
    /// The main pod's ending when this decision records it (for endings-by-reason metrics).
    public var recordedEnding: MainPodTermination?

    public init(
        commands: [Command] = [], status: OMJobStatus? = nil, nextLook: Date? = nil,
        transition: PhaseTransition? = nil, recordedEnding: MainPodTermination? = nil
    ) {
        self.commands = commands
        self.status = status
        self.nextLook = nextLook
        self.transition = transition
        self.recordedEnding = recordedEnding
    }
}

/// A change of an OMJob's phase; `from` is nil for a run's first phase.
public struct PhaseTransition: Hashable, Sendable {
    public var from: OMJobPhase?
    public var to: OMJobPhase

    public init(from: OMJobPhase?, to: OMJobPhase) {
        self.from = from
        self.to = to
    }
}

/// The pure decision function: observed state in, commands out. It never reads a clock, a cache or
/// the network; everything comes in through its arguments (DESIGN.md §4).
///
/// Where each rule lives:
/// - how the main pod ended (phase, DisruptionTarget, status.reason, container, deletion, node loss,
///   never started): `MainPodEnding`; disappearance and create failure: `MainPodStep.absent`
/// - kill and active deadline (stop, then relabel the ending): `StopCause`
/// - exit-handler attempts, backoff, limit, final phase: `ExitHandlerStep`, `ExitAttempt`
/// - the finalizer table (guard, run, kill, release, kill deadline): `Finalizers`
/// - malformed OMJobs: `InvalidRun`; phase machine and conditions: `StatusTransitions`
/// - pods, names, environment: `PodBuilder`, `PodNaming`, `ExitHandlerEnvironment`
///
/// Transient API errors never reach this function, so they cannot end a run: executors retry them,
/// and only a permanent rejection recorded in the status (`podCreateFailure`) is an input.
///
/// Guarantees:
/// - Deterministic: the same observation and `now` give the same commands with the same ids.
/// - Level-based: it needs no memory of earlier decisions; the run's record (`RunRecord`, in the
///   OMJob's annotations, mirrored into its status) and the pods themselves are its only memory,
///   written only after the facts they record are safe (pods exist, endings observed). No status
///   field a CRD may prune is read back as memory.
/// - At most one resourceVersion-guarded write of the OMJob per decision (its status patch), placed
///   before any finalizer change of the OMJob, so the two never conflict with each other.
public enum RunDecider {
    public static func decide(_ observation: RunObservation, now: Date, settings: RunSettings) -> RunDecision {
        let omJob = observation.omJob
        guard let uid = omJob.metadata.uid, omJob.metadata.name != nil, omJob.metadata.resourceVersion != nil else {
            return RunDecision()
        }
        var observed = omJob.effectiveStatus
        let mainName = observed.mainPodName ?? PodNaming.mainPodName(omJob: omJob.metadata.name ?? "")
        let pods = RunPods(pods: observation.pods, omJobUID: uid, mainPodName: mainName)
        // An exit pod proves its attempt was started, whatever the record says (a record lost to a
        // crash between the two writes, or a run adopted from another operator). A finished run
        // keeps its count: it starts nothing more, and only counted stuck pods are retired.
        if observed.phase?.isFinished != true, let started = pods.exitByAttempt.keys.max(),
            started > (observed.exitHandlerAttempts ?? 0)
        {
            observed.exitHandlerAttempts = started
        }
        var plan = RunPlan(omJob: omJob, uid: uid, now: now, observed: observed)
        if let problem = SpecProblem.find(in: omJob) {
            InvalidRun.decide(&plan, problem: problem, pods: observation.pods)
            return plan.decision()
        }
        let spec = omJob.spec ?? OMJobSpec(mainPodSpec: nil)
        let limits = RunLimits(spec: spec, settings: settings)
        let context = RunContext(
            spec: spec, limits: limits, pods: pods, node: observation.mainPodNode, mainPodName: mainName)

        let state = Finalizers.state(
            of: omJob, finished: plan.status.phase?.isFinished == true, limits: limits, now: now)
        switch state {
        case .guardFirst:
            plan.addOMJobFinalizer()
        case .run, .kill:
            plan.look(at: Finalizers.killDeadline(of: omJob, limits: limits))
            if let ending = MainPodStep.run(&plan, context) {
                ExitHandlerStep.run(&plan, context, ending: ending)
            }
        case .release, .killDeadlinePassed, .notOurs:
            Finalizers.release(&plan, pods: pods, state: state, limits: limits)
        }
        return plan.decision()
    }
}

/// What every step of one decision reads besides the plan.
struct RunContext {
    var spec: OMJobSpec
    var limits: RunLimits
    var pods: RunPods
    var node: NodeReadiness?
    var mainPodName: String
}
