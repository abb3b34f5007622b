import Foundation
import Shared

/// Why an OMJob cannot be run, in words a user can act on.
struct SpecProblem: Equatable {
    var message: String

    /// The first problem found, or nil when the spec can be run. The CRD's schema already rejects
    /// most of these; this is the defence for objects created under an older or looser schema.
    /// A finished run whose templates a cache dropped has nothing left to check: it creates no
    /// pod, and its spec was judged when it ran.
    static func find(in omJob: OMJob) -> SpecProblem? {
        if let error = omJob.specError { return SpecProblem(message: error) }
        if omJob.podTemplatesDropped { return nil }
        guard let spec = omJob.spec else { return SpecProblem(message: "spec is missing") }
        guard let main = spec.mainPodSpec else { return SpecProblem(message: "spec.mainPodSpec is missing") }
        if let problem = podSpecProblem(main, field: "spec.mainPodSpec") { return problem }
        if let exit = spec.exitHandlerSpec, let problem = podSpecProblem(exit, field: "spec.exitHandlerSpec") {
            return problem
        }
        return nil
    }

    private static func podSpecProblem(_ spec: OMJobPodSpec, field: String) -> SpecProblem? {
        if !(spec.image ?? "").contains(where: { !$0.isWhitespace }) {
            return SpecProblem(message: "\(field).image is required")
        }
        if spec.command?.isEmpty ?? true { return SpecProblem(message: "\(field).command is required") }
        if let unnamed = spec.env?.firstIndex(where: { $0.name.isEmpty }) {
            return SpecProblem(message: "\(field).env[\(unnamed)].name is empty")
        }
        return nil
    }
}

/// An OMJob that cannot be run ends Failed at once, with the problem in its status and a Warning
/// event, and holds nothing: other runs are unaffected.
enum InvalidRun {
    static func decide(_ plan: inout RunPlan, problem: SpecProblem, pods: [PodView]) {
        if plan.status.phase?.isFinished != true {
            plan.status.finish(
                .failed, reason: "InvalidSpec", message: "invalid OMJob: \(problem.message)", now: plan.stamp)
            if plan.status.startTime == nil { plan.status.startTime = plan.stamp }
            plan.event(.invalidSpec, message: problem.message)
        }
        for pod in pods
        where RunPods.belongs(pod, to: plan.uid)
            && pod.metadata.finalizers?.contains(OperatorLabels.finalizer) == true
        {
            plan.removePodFinalizer(pod)
        }
        if plan.omJob.metadata.finalizers?.contains(OperatorLabels.finalizer) == true { plan.removeOMJobFinalizer() }
    }
}
