import Foundation
import Testing

/// One ending of the guarantee, described once and run on both servers
/// (`EndingsOnKubeSim`, `EndingsOnRealServer`). The body uses only what both servers do:
/// OMJob and pod writes, `pods/status`, binding, deletion.
///
/// Kubesim-only endings, and why, are in the kubesim suites:
/// - a main pod the server rejects (403 quota) and stuck-exit-handler timing: kubesim's
///   request interceptor injects the fault (RunEndingTests);
/// - node loss: on a real server kube-controller-manager's node lifecycle controller owns the
///   node's Ready condition (PodEndingTests);
/// - eviction with a `DisruptionTarget` condition: a v1.26+ kubelet's report, which v1.20 has
///   no name for (the v1.20 shape, `status.reason: Evicted`, runs on both, below).
struct EndingScenario: Sendable, CustomTestStringConvertible {
    let name: String
    let body: @Sendable (OperatorUnderTest) async throws -> Void

    var testDescription: String { name }

    static let all: [EndingScenario] = containerEndings + podEndings + runEndings + handOverEndings
}
