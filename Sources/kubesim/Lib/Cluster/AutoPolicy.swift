/// Automatic mode: how every new pod is scheduled and run without per-pod test code. Pods may
/// override the policy with annotations:
///
/// | annotation | value |
/// |---|---|
/// | `kubesim.io/run-seconds` | seconds from Running to the ending (decimal) |
/// | `kubesim.io/exit-code` | the container's exit code |
/// | `kubesim.io/ending` | `Completed`, `Error`, `OOMKilled`, `Evicted`, `Signal:<n>` (e.g. `Signal:9`), `Running` (never ends), `ErrImagePull`, `ImagePullBackOff`, `CreateContainerConfigError`, `Unschedulable` |
/// | `kubesim.io/ignore-sigterm` | `"true"`: on deletion the container runs out its grace period and is SIGKILLed (137) |
///
/// A value kubesim cannot read is ignored (the policy applies) and logged once.
public struct AutoPolicy: Sendable, Equatable {
    /// Seconds every pod runs before it ends.
    public var runSeconds: Double
    /// Exit code every pod ends with.
    public var exitCode: Int32

    public init(runSeconds: Double = 0, exitCode: Int32 = 0) {
        self.runSeconds = runSeconds
        self.exitCode = exitCode
    }

    public static let runSecondsAnnotation = "kubesim.io/run-seconds"
    public static let exitCodeAnnotation = "kubesim.io/exit-code"
    public static let endingAnnotation = "kubesim.io/ending"
    public static let ignoreSIGTERMAnnotation = "kubesim.io/ignore-sigterm"
}

/// What automatic mode does with one pod (the pure part of automatic mode).
enum AutoPlan: Equatable {
    /// Stay Pending, PodScheduled=False.
    case unschedulable
    /// Admitted, but the container waits with this reason forever.
    case waiting(reason: String)
    /// Run for `seconds`, then end as `ending` (nil seconds: never ends).
    case run(seconds: Double?, ending: AutoEnding)

    /// The plan for a pod with `annotations` under `policy`, and the annotation values that
    /// could not be read.
    static func make(annotations: [String: String], policy: AutoPolicy) -> (AutoPlan, invalid: [String]) {
        var invalid: [String] = []
        var seconds = policy.runSeconds
        if let text = annotations[AutoPolicy.runSecondsAnnotation] {
            if let value = Double(text), value >= 0, value.isFinite {
                seconds = value
            } else {
                invalid.append(AutoPolicy.runSecondsAnnotation)
            }
        }
        var code = policy.exitCode
        if let text = annotations[AutoPolicy.exitCodeAnnotation] {
            if let value = Int32(text), (0...255).contains(value) {
                code = value
            } else {
                invalid.append(AutoPolicy.exitCodeAnnotation)
            }
        }
        guard let ending = annotations[AutoPolicy.endingAnnotation] else {
            return (.run(seconds: seconds, ending: .exit(.exited(code))), invalid)
        }
        switch ending {
        case "Completed": return (.run(seconds: seconds, ending: .exit(.exited(0))), invalid)
        case "Error": return (.run(seconds: seconds, ending: .exit(.exited(code == 0 ? 1 : code))), invalid)
        case "OOMKilled": return (.run(seconds: seconds, ending: .exit(.oomKilled)), invalid)
        case "Evicted": return (.run(seconds: seconds, ending: .evicted), invalid)
        case "Running": return (.run(seconds: nil, ending: .exit(.exited(code))), invalid)
        case "Unschedulable": return (.unschedulable, invalid)
        case "ErrImagePull", "ImagePullBackOff", "CreateContainerConfigError":
            return (.waiting(reason: ending), invalid)
        default:
            if ending.hasPrefix("Signal:"), let number = Int32(ending.dropFirst(7)), (1...64).contains(number) {
                return (.run(seconds: seconds, ending: .exit(.signaled(number))), invalid)
            }
            return (.run(seconds: seconds, ending: .exit(.exited(code))), invalid + [AutoPolicy.endingAnnotation])
        }
    }
}

/// How an automatically run pod ends.
enum AutoEnding: Equatable {
    /// The container exits.
    case exit(ContainerExit)
    /// The kubelet evicts it under node pressure.
    case evicted
}
