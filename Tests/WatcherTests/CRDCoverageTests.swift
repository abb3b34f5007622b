import Foundation
import KubeJSON
import Models
import Testing

@testable import Watcher

/// Every member the operator writes must be declared in deploy/crds/omjob.yaml, or the API server
/// prunes it without a word. A fully populated status and spec are encoded, and each member name must
/// appear among the properties of the matching section of the CRD.
@Suite struct CRDCoverageTests {
    static let crd = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("deploy/crds/omjob.yaml")

    /// The CRD's lines between `<indent>section:` and the next line at the same or lower indent.
    static func section(_ name: String, indent: Int) throws -> String {
        let lines = try String(contentsOf: crd, encoding: .utf8).split(
            separator: "\n", omittingEmptySubsequences: false)
        let header = String(repeating: " ", count: indent) + name + ":"
        guard let start = lines.firstIndex(where: { $0 == header }) else { return "" }
        let body = lines[(start + 1)...].prefix { line in
            line.isEmpty || line.prefix(while: { $0 == " " }).count > indent
        }
        return body.joined(separator: "\n")
    }

    static func keys(_ value: JSONValue) -> Set<String> {
        switch value {
        case .object(let members): members.keys.reduce(into: Set(members.keys)) { $0.formUnion(keys(members[$1]!)) }
        case .array(let items): items.reduce(into: Set()) { $0.formUnion(keys($1)) }
        default: []
        }
    }

    static func fullStatus() -> OMJobStatus {
        var status = OMJobStatus(phase: .failed)
        status.observedGeneration = 1
        status.mainPodName = "m"
        status.exitHandlerPodName = "e"
        status.startTime = "t"
        status.completionTime = "t"
        status.message = "m"
        status.mainPodExitCode = 1
        status.mainPodTermination = MainPodTermination(
            reason: "r", message: "m", exitCode: 1, signal: 9, source: "PodPhase",
            containerMayStillRun: true, stopRequestedAt: "t", startedAt: "t", finishedAt: "t", recordedAt: "t")
        status.exitHandlerAttempts = 1
        status.exitHandlerExitCode = 1
        status.exitHandlerReason = "r"
        status.exitHandlerLastFailureTime = "t"
        status.cleanupTime = "t"
        status.podCreateFailure = PodCreateFailure(
            podType: .main, podName: "p", attempt: 1, reason: "r", code: 1, message: "m", time: "t")
        status.conditions = [
            Condition(
                type: "T", status: "True", observedGeneration: 1, lastTransitionTime: "t", reason: "R", message: "m")
        ]
        return status
    }

    @Test func everyStatusMemberIsDeclared() throws {
        let declared = try Self.section("status", indent: 10)
        #expect(!declared.isEmpty)
        for key in Self.keys(try JSONValue.encoded(from: Self.fullStatus())).sorted() {
            #expect(
                declared.contains("\n                \(key):") || declared.contains(" \(key):"),
                "status.\(key) is not in the CRD")
        }
    }

    @Test func everySpecMemberIsDeclared() throws {
        var spec = try Fixtures.openMetadataOMJob().spec!
        spec.activeDeadlineSeconds = 1
        spec.mainPodStartDeadlineSeconds = 1
        spec.nodeLostThresholdSeconds = 1
        spec.exitHandlerBackoffLimit = 1
        spec.exitHandlerBackoffSeconds = 1
        spec.exitHandlerStartDeadlineSeconds = 1
        spec.exitHandlerActiveDeadlineSeconds = 1
        spec.killDeadlineSeconds = 1
        spec.mainPodSpec?.args = ["a"]
        spec.mainPodSpec?.priorityClassName = "p"
        let declared = try Self.section("spec", indent: 10)
        let ownKeys = Self.keys(try JSONValue.encoded(from: spec))
            // map keys and open objects
            .subtracting(["cpu", "memory", "runAsNonRoot", "runAsUser", "runAsGroup", "fsGroup"])
            .filter { !$0.contains("/") }  // label keys
        for key in ownKeys.sorted() {
            #expect(declared.contains(" \(key):"), "spec.\(key) is not in the CRD")
        }
    }
}
