import Foundation
import KubeJSON
import Testing

/// The checks every ending shares: final phase, recorded reason, exactly one successful exit
/// pod with the right environment, no finalizer left.
extension OperatorUnderTest {
    /// How the run recorded its main pod's ending: the status field where the CRD keeps it, else
    /// the record annotation (OpenMetadata's chart CRD prunes the field).
    func recordedTermination(_ name: String) async throws -> JSONValue? {
        let omJob = try await omJob(name)
        if let field = omJob?["status"]?["mainPodTermination"] { return field }
        guard
            let text = omJob?["metadata"]?["annotations"]?["omjob.pipelines.openmetadata.org/main-pod-termination"]?
                .stringValue
        else { return nil }
        return try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    /// The run recorded when its main pod's deletion was asked (`stopRequestedAt`), for an
    /// ending whose container may still run: not before the ending was recorded, and not after
    /// the API server took the deletion (deletionTimestamp less the grace period it set);
    /// `asked: .byTheRun` when the run itself deleted the pod, `.before` when someone had (the
    /// record then reads the time from the pod: equal). Waits for the record; the main pod is
    /// still there, held by the run's finalizer.
    func expectStopRequested(
        _ name: String, asked: StopAsker, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let requested = try await until("\(name): stopRequestedAt recorded") {
            try await self.recordedTermination(name)?["stopRequestedAt"]?.stringValue
        }
        let termination = try await recordedTermination(name)
        let main = try await pod("\(name)-main")?["metadata"]
        let formatter = ISO8601DateFormatter()
        let deletion = main?["deletionTimestamp"]?.stringValue.flatMap { formatter.date(from: $0) }
        let grace = Double(main?["deletionGracePeriodSeconds"]?.intValue ?? 0)
        let recordedAt = termination?["recordedAt"]?.stringValue.flatMap { formatter.date(from: $0) }
        guard let stop = formatter.date(from: requested), let deletion, let recordedAt else {
            Issue.record(
                "\(name): stopRequestedAt \(requested), main pod \(main.map { "\($0)" } ?? "gone")",
                sourceLocation: sourceLocation)
            return
        }
        let deletionAsked = deletion.addingTimeInterval(-grace)
        switch asked {
        case .byTheRun:
            #expect(
                recordedAt <= stop && stop <= deletionAsked,
                "recorded \(recordedAt), stop asked \(stop), deletion taken \(deletionAsked)",
                sourceLocation: sourceLocation)
        case .before:
            #expect(
                stop == deletionAsked, "stop asked \(stop), deletion taken \(deletionAsked)",
                sourceLocation: sourceLocation)
        }
    }

    /// Exit-handler pods the run counted, from the status field or the record annotation.
    func recordedAttempts(_ name: String) async throws -> Int? {
        let omJob = try await omJob(name)
        if let field = omJob?["status"]?["exitHandlerAttempts"]?.intValue { return Int(field) }
        return omJob?["metadata"]?["annotations"]?["omjob.pipelines.openmetadata.org/exit-handler-attempts"]?
            .stringValue.flatMap { Int($0) }
    }

    /// The environment of a pod's container (plain values only).
    func environment(ofPod name: String) async throws -> [String: String] {
        var result: [String: String] = [:]
        for variable in try await pod(name)?["spec"]?["containers"]?.arrayValue?.first?["env"]?.arrayValue ?? [] {
            if let key = variable["name"]?.stringValue { result[key] = variable["value"]?.stringValue ?? "" }
        }
        return result
    }

    /// The assertions of every ending, after the run finished.
    func expectEnded(
        _ name: String, phase: String, reason: String, pipelineStatus: String?,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        try await waitForPhase(name, phase)
        let termination = try await recordedTermination(name)
        #expect(
            termination?["reason"]?.stringValue == reason, "recorded \(termination.map { "\($0)" } ?? "nothing")",
            sourceLocation: sourceLocation)
        let exitPods = try await pods(of: name, type: "exit-handler")
        if let pipelineStatus {
            let succeeded = exitPods.filter { $0["status"]?["phase"]?.stringValue == "Succeeded" }
            #expect(succeeded.count == 1, "successful exit pods: \(succeeded.count)", sourceLocation: sourceLocation)
            let env = try await environment(ofPod: succeeded.first?["metadata"]?["name"]?.stringValue ?? "")
            #expect(env["pipelineStatus"] == pipelineStatus, sourceLocation: sourceLocation)
            #expect(env["OMJOB_NAME"] == name, sourceLocation: sourceLocation)
            #expect(env["OMJOB_NAMESPACE"] == namespace, sourceLocation: sourceLocation)
            #expect(env["OMJOB_MAIN_REASON"] == reason, sourceLocation: sourceLocation)
            #expect(env["pipelineRunId"] == "run-\(name)", sourceLocation: sourceLocation)
        } else {
            #expect(exitPods.isEmpty, sourceLocation: sourceLocation)
        }
        try await expectNoFinalizers(name, sourceLocation: sourceLocation)
    }

    /// Waits until neither the OMJob nor any of its pods carries a finalizer.
    func expectNoFinalizers(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let clean: Bool? = try? await until("finalizers of \(name) released") {
            let objects =
                try await [self.omJob(name)].compactMap { $0 } + self.pods(of: name, type: "main")
                + self.pods(of: name, type: "exit-handler")
            return objects.allSatisfy { ($0["metadata"]?["finalizers"]?.arrayValue ?? []).isEmpty } ? true : nil
        }
        #expect(clean == true, "a finalizer was left behind", sourceLocation: sourceLocation)
    }
}

/// Who asked for the main pod's deletion that `stopRequestedAt` records.
enum StopAsker {
    /// The run, as it started the exit handler.
    case byTheRun
    /// Someone else, before the run recorded the ending.
    case before
}
