import KubeJSON

/// What the kubelet does when it sees a deletionTimestamp on one of its pods: the pure part of
/// graceful termination (the driver is `SimCluster.beginTermination`).
///
/// | pod | plan |
/// |---|---|
/// | already Succeeded/Failed | `deleteNow` (the final grace-0 delete) |
/// | a local process runs | `stopProcess(grace)`: SIGTERM, SIGKILL after the grace period |
/// | no container running (waiting, never started) | `exit(.killed)` |
/// | grace period 0 (forced) | `exit(.killed)`: 137 |
/// | annotated `kubesim.io/ignore-sigterm: "true"` | `exitAfter(grace, .killed)` |
/// | otherwise | `exit(.terminatedBySIGTERM)`: the container exits 143 at once |
enum TerminationPlan: Equatable {
    case deleteNow
    case stopProcess(graceSeconds: Double)
    case exit(ContainerExit)
    case exitAfter(seconds: Double, ContainerExit)

    static func make(_ pod: JSONValue, hasLocalProcess: Bool) -> TerminationPlan {
        if pod.isTerminal { return .deleteNow }
        let grace = Double(pod.deletionGracePeriod ?? 0)
        if hasLocalProcess { return .stopProcess(graceSeconds: grace) }
        guard pod.hasRunningContainer, grace > 0 else { return .exit(.killed) }
        if pod.annotations[AutoPolicy.ignoreSIGTERMAnnotation] == "true" { return .exitAfter(seconds: grace, .killed) }
        return .exit(.terminatedBySIGTERM)
    }
}
