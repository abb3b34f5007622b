import Foundation
import KubeJSON
import Models
import Watcher

/// The words a person reads about a run: one place, so that `list` and `describe` agree.
enum RunWords {
    static func phase(_ job: OMJob) -> String { job.status?.phase?.rawValue ?? "-" }

    static func phaseColour(_ phase: String) -> Terminal.Colour? {
        switch phase {
        case OMJobPhase.succeeded.rawValue: .green
        case OMJobPhase.failed.rawValue: .red
        case OMJobPhase.running.rawValue, OMJobPhase.exitHandlerRunning.rawValue: .yellow
        default: nil
        }
    }

    /// How the main pod ended: `Completed (exit 0)`, `Error (exit 143, SIGTERM)`, `PodDeleted`; `-` while it has not.
    static func ending(_ job: OMJob) -> String {
        guard let ending = job.effectiveStatus.mainPodTermination else { return "-" }
        var evidence: [String] = []
        if let code = ending.exitCode { evidence.append("exit \(code)") }
        if let signal = ending.signal { evidence.append(signalName(signal)) }
        return evidence.isEmpty ? ending.reason : "\(ending.reason) (\(evidence.joined(separator: ", ")))"
    }

    static func endingColour(_ job: OMJob) -> Terminal.Colour? {
        guard let ending = job.effectiveStatus.mainPodTermination else { return nil }
        return ending.isSuccess ? .green : .red
    }

    /// The exit handler's result: `none` (the spec has none), `-` (not run yet), `running`, `succeeded`, `failed (exit 1)`.
    static func exitHandler(_ job: OMJob) -> String {
        if job.spec != nil, job.spec?.exitHandlerSpec == nil { return "none" }
        // The run's record wins over the status fields (a CRD such as OpenMetadata's prunes them).
        let status: OMJobStatus? = job.effectiveStatus
        if status?.phase == .exitHandlerRunning { return "running" }
        if let code = status?.exitHandlerExitCode {
            if code == 0 { return "succeeded" }
            return "failed (exit \(code))"
        }
        if let reason = status?.exitHandlerReason { return "failed (\(reason))" }
        if (status?.exitHandlerAttempts ?? 0) > 0, let phase = status?.phase, phase.isFinished {
            return phase == .succeeded ? "succeeded" : "failed"
        }
        return "-"
    }

    static func exitHandlerColour(_ text: String) -> Terminal.Colour? {
        if text == "succeeded" { return .green }
        if text.hasPrefix("failed") { return .red }
        if text == "running" { return .yellow }
        return nil
    }

    /// A pod's state: `Running`, `Succeeded (exit 0)`, `Failed (Error, exit 1)`, `Pending (ImagePullBackOff)`, `Terminating`.
    static func pod(_ pod: Pod) -> String {
        let container = pod.containerStatus(named: PodBuilder.containerName)
        var text = pod.status?.phase ?? "Pending"
        if let terminated = container?.state?.terminated {
            let reason = terminated.reason.map { "\($0), " } ?? ""
            let signal = terminated.signal.map { ", \(signalName($0))" } ?? ""
            text += " (\(reason)exit \(terminated.exitCode)\(signal))"
        } else if let reason = container?.state?.waiting?.reason {
            text += " (\(reason))"
        } else if let reason = pod.status?.reason {
            text += " (\(reason))"
        }
        if pod.metadata.isBeingDeleted { text += ", Terminating" }
        return text
    }
}

/// `kubectl omjob list`: one row per run.
enum ListView {
    static func table(_ runs: [Raw<OMJob>], allNamespaces: Bool, wide: Bool, now: Date) -> Table {
        var header = ["NAME", "PHASE", "MAIN POD ENDING", "EXIT HANDLER", "ATTEMPTS", "AGE"]
        if allNamespaces { header.insert("NAMESPACE", at: 0) }
        if wide { header += ["MAIN POD", "EXIT HANDLER POD", "PIPELINE", "RUN ID"] }
        var table = Table(header: header)
        for run in runs {
            let job = run.model
            let phase = RunWords.phase(job)
            let handler = RunWords.exitHandler(job)
            var row: [Table.Cell] = [
                .init(run.name), .init(phase, RunWords.phaseColour(phase)),
                .init(RunWords.ending(job), RunWords.endingColour(job)),
                .init(handler, RunWords.exitHandlerColour(handler)),
                .init(String(job.effectiveStatus.exitHandlerAttempts ?? 0)),
                .init(HumanAge.since(job.metadata.creationTimestamp, now: now)),
            ]
            if allNamespaces { row.insert(.init(run.namespace), at: 0) }
            if wide {
                let labels = job.metadata.labels ?? [:]
                row += [
                    .init(job.status?.mainPodName ?? "-"), .init(job.status?.exitHandlerPodName ?? "-"),
                    .init(labels[OperatorLabels.pipeline] ?? "-"), .init(labels[OperatorLabels.runID] ?? "-"),
                ]
            }
            table.add(row)
        }
        return table
    }
}

/// Everything `describe` shows about one run.
struct RunTree {
    var omjob: Raw<OMJob>
    /// The main pod, when it exists.
    var main: Raw<Pod>?
    /// Exit-handler pods, by attempt.
    var exitPods: [Raw<Pod>]
    /// Events about the OMJob and its pods, oldest first.
    var events: [Raw<Event>]

    /// The pods of `omjob` among `pods` (the name label also matches an older run of the same
    /// name; the UID label tells them apart), split into main and exit-handler attempts.
    init(omjob: Raw<OMJob>, pods: [Raw<Pod>], events: [Raw<Event>]) {
        self.omjob = omjob
        let uid = omjob.model.metadata.uid
        let ours = pods.filter { pod in
            let podUID = pod.model.metadata.labels?[OperatorLabels.omJobUID]
            return podUID == nil || uid == nil || podUID == uid
        }
        main = ours.first { $0.model.metadata.labels?[OperatorLabels.podType] == PodType.main.rawValue }
        exitPods = ours.filter { $0.model.metadata.labels?[OperatorLabels.podType] == PodType.exitHandler.rawValue }
            .sorted { Self.attempt($0) < Self.attempt($1) }
        // Timestamps have one-second resolution: within a second, the order of creation.
        self.events = events.sorted { (Self.time($0), Self.version($0)) < (Self.time($1), Self.version($1)) }
    }

    static func attempt(_ pod: Raw<Pod>) -> Int { Int(pod.model.metadata.labels?[OperatorLabels.attempt] ?? "") ?? 0 }

    static func version(_ event: Raw<Event>) -> Int { Int(event.model.metadata.resourceVersion ?? "") ?? 0 }

    static func time(_ event: Raw<Event>) -> String {
        event.model.lastTimestamp ?? event.model.firstTimestamp ?? event.json[path: ["eventTime"]]?.stringValue ?? event
            .model.metadata.creationTimestamp ?? ""
    }

    /// `-o json|yaml`: the objects as the server returned them.
    var document: JSONValue {
        [
            "omjob": omjob.json, "mainPod": main?.json ?? .null, "exitHandlerPods": .array(exitPods.map(\.json)),
            "events": .array(events.map(\.json)),
        ]
    }

    /// The tree, for a person.
    func render(on terminal: Terminal, now: Date) -> String {
        let job = omjob.model
        // The run's record wins over the status fields (a CRD such as OpenMetadata's prunes them).
        let status: OMJobStatus? = job.effectiveStatus
        let phase = RunWords.phase(job)
        var out =
            "OMJob \(omjob.namespace)/\(omjob.name)  \(terminal.paint(phase, RunWords.phaseColour(phase) ?? .bold))  "
            + "age \(HumanAge.since(job.metadata.creationTimestamp, now: now))\n"
        var facts: [String] = []
        let labels = job.metadata.labels ?? [:]
        if let pipeline = labels[OperatorLabels.pipeline] { facts.append("pipeline \(pipeline)") }
        if let runID = labels[OperatorLabels.runID] { facts.append("run id \(runID)") }
        if job.metadata.isBeingDeleted { facts.append(terminal.paint("being deleted (killed)", .yellow)) }
        var top: [(String, [String])] = []
        if !facts.isEmpty { top.append((facts.joined(separator: ", "), [])) }
        if let message = status?.message { top.append(("message: \(message)", [])) }
        if let error = job.specError { top.append((terminal.paint("spec: \(error)", .red), [])) }
        if let failure = status?.podCreateFailure {
            top.append(
                (
                    terminal.paint(
                        "pod create failed: \(failure.podName) \(failure.reason ?? "") \(failure.message ?? "")", .red),
                    []
                ))
        }
        var times: [String] = []
        if let start = status?.startTime { times.append("started \(start)") }
        if let end = status?.completionTime { times.append("completed \(end)") }
        if let cleanup = status?.cleanupTime { times.append("pods cleaned up \(cleanup)") }
        if !times.isEmpty { top.append((times.joined(separator: ", "), [])) }

        // Main pod, with the recorded ending as its evidence.
        var mainLines: [String] = []
        if let ending = status?.mainPodTermination {
            mainLines.append(
                "ending: " + terminal.paint(RunWords.ending(job), RunWords.endingColour(job) ?? .bold)
                    + " (source \(ending.source))")
            if let message = ending.message, !message.isEmpty { mainLines.append("message: \(message)") }
            var when: [String] = []
            if let s = ending.startedAt { when.append("started \(s)") }
            if let f = ending.finishedAt { when.append("finished \(f)") }
            if let r = ending.recordedAt { when.append("recorded \(r)") }
            if !when.isEmpty { mainLines.append(when.joined(separator: ", ")) }
            if ending.containerMayStillRun == true {
                mainLines.append(terminal.paint("the container may still be running", .yellow))
            }
        } else {
            mainLines.append("ending: not recorded yet")
        }
        let mainName = main?.name ?? status?.mainPodName ?? PodNaming.mainPodName(omJob: omjob.name)
        let mainState = main.map { RunWords.pod($0.model) } ?? "gone"
        top.append(("main pod \(mainName)  \(mainState)", mainLines))

        // Exit handler attempts.
        let handler = RunWords.exitHandler(job)
        var attempts: [String] = []
        for pod in exitPods {
            attempts.append("attempt \(Self.attempt(pod))  \(pod.name)  \(RunWords.pod(pod.model))")
        }
        let recorded = status?.exitHandlerAttempts ?? 0
        if recorded > exitPods.count {
            attempts.append("\(recorded - exitPods.count) earlier attempt(s) no longer have a pod")
        }
        if let code = status?.exitHandlerExitCode {
            attempts.append("last exit code \(code)\(status?.exitHandlerReason.map { ", \($0)" } ?? "")")
        }
        top.append(
            (
                "exit handler: " + terminal.paint(handler, RunWords.exitHandlerColour(handler) ?? .bold)
                    + "  (\(recorded) attempt\(recorded == 1 ? "" : "s"))",
                attempts
            ))

        // Events.
        // Events as an aligned table inside the tree: age, type, reason, then the subject and message.
        var eventTable = Table(header: ["", "", "", ""])
        for event in events {
            let e = event.model
            let type = e.type ?? "Normal"
            let count = (e.count ?? 1) > 1 ? " (x\(e.count!))" : ""
            let age = HumanAge.since(Self.time(event).isEmpty ? nil : Self.time(event), now: now)
            eventTable.add([
                .init(age), .init(type, type == "Warning" ? .yellow : .dim), .init(e.reason ?? ""),
                .init("\(e.involvedObject.kind ?? "") \(e.involvedObject.name ?? "")\(count): \(e.message ?? "")"),
            ])
        }
        let eventLines = eventTable.render(on: terminal).split(separator: "\n").dropFirst().map(String.init)
        top.append(("events", eventLines.isEmpty ? ["none"] : eventLines))

        for (index, (head, children)) in top.enumerated() {
            let last = index == top.count - 1
            out += (last ? "└─ " : "├─ ") + head + "\n"
            for (childIndex, child) in children.enumerated() {
                out += (last ? "   " : "│  ") + (childIndex == children.count - 1 ? "└─ " : "├─ ") + child + "\n"
            }
        }
        return out
    }
}
