import BenchHarness
import KubeJSON

/// The end-of-run checks, for every OMJob: terminal phase; exactly one successful exit pod;
/// its `pipelineStatus` matches how the main pod ended; no finalizer left on the OMJob or its
/// pods; no pod of a finished run still pending or running; no pod without its OMJob.
struct Verifier {
    /// One broken promise, about one OMJob.
    struct Violation: CustomStringConvertible {
        var omJob: String
        var ending: Ending?
        var problem: String
        var description: String { "\(omJob) (\(ending?.rawValue ?? "unknown ending")): \(problem)" }
    }

    let expected: [String: Ending]

    func check(omJobs: [JSONValue], pods: [JSONValue]) -> [Violation] {
        var podsByRun: [String: [JSONValue]] = [:]
        var violations: [Violation] = []
        for pod in pods {
            let run = pod[path: ["metadata", "labels", RunRecorder.nameLabel]]?.stringValue ?? ""
            podsByRun[run, default: []].append(pod)
        }
        var seen = Set<String>()
        for omJob in omJobs {
            let name = omJob[path: ["metadata", "name"]]?.stringValue ?? ""
            seen.insert(name)
            violations += check(omJob, name: name, pods: podsByRun[name] ?? []).map {
                Violation(omJob: name, ending: expected[name], problem: $0)
            }
        }
        for name in expected.keys where !seen.contains(name) {
            violations.append(Violation(omJob: name, ending: expected[name], problem: "the OMJob is gone"))
        }
        for (run, leaked) in podsByRun where !seen.contains(run) {
            violations.append(
                Violation(
                    omJob: run, ending: expected[run],
                    problem: "\(leaked.count) pod(s) without an OMJob: \(leaked.map(Self.name))"))
        }
        return violations
    }

    private func check(_ omJob: JSONValue, name: String, pods: [JSONValue]) -> [String] {
        var problems: [String] = []
        let phase = omJob[path: ["status", "phase"]]?.stringValue ?? "none"
        if !["Succeeded", "Failed"].contains(phase) { problems.append("phase \(phase), not terminal") }
        if let finalizers = omJob[path: ["metadata", "finalizers"]]?.arrayValue, !finalizers.isEmpty {
            problems.append("OMJob finalizers left: \(finalizers.compactMap(\.stringValue))")
        }
        let exitPods = pods.filter { Self.type($0) == "exit-handler" }
        let succeeded = exitPods.filter { Self.phase($0) == "Succeeded" }
        if succeeded.count != 1 {
            problems.append(
                "\(succeeded.count) successful exit pods (of \(exitPods.count): \(exitPods.map { "\(Self.name($0)) \(Self.phase($0))" })); "
                    + "status \(omJob["status"].map { "\($0)" } ?? "none"); pods \(pods.map { "\(Self.name($0)) \(Self.phase($0))" })"
            )
        }
        if let exitPod = succeeded.first, let ending = expected[name] {
            let status = Self.environment(exitPod)["pipelineStatus"] ?? "unset"
            if status != ending.pipelineStatus {
                problems.append(
                    "pipelineStatus \(status), expected \(ending.pipelineStatus) (main reason \(Self.environment(exitPod)["OMJOB_MAIN_REASON"] ?? "unset"))"
                )
            }
        }
        for pod in pods {
            if let finalizers = pod[path: ["metadata", "finalizers"]]?.arrayValue, !finalizers.isEmpty {
                problems.append("pod \(Self.name(pod)) keeps finalizers \(finalizers.compactMap(\.stringValue))")
            }
            if !["Succeeded", "Failed"].contains(Self.phase(pod)) {
                problems.append("pod \(Self.name(pod)) leaked in phase \(Self.phase(pod))")
            }
        }
        return problems
    }

    static func name(_ object: JSONValue) -> String { object[path: ["metadata", "name"]]?.stringValue ?? "?" }
    static func phase(_ pod: JSONValue) -> String { pod[path: ["status", "phase"]]?.stringValue ?? "none" }
    static func type(_ pod: JSONValue) -> String {
        pod[path: ["metadata", "labels", RunRecorder.podTypeLabel]]?.stringValue ?? ""
    }

    static func environment(_ pod: JSONValue) -> [String: String] {
        var result: [String: String] = [:]
        for variable in pod[path: ["spec", "containers"]]?.arrayValue?.first?["env"]?.arrayValue ?? [] {
            if let key = variable["name"]?.stringValue { result[key] = variable["value"]?.stringValue ?? "" }
        }
        return result
    }
}
