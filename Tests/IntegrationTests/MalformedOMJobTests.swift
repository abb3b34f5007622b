import Foundation
import KubeJSON
import KubeSim
import Testing

/// Bad input loses nothing: a malformed OMJob ends with a clear message and a Warning event,
/// and the runs beside it are unaffected.
@Suite(.timeLimit(.minutes(3))) struct MalformedOMJobTests {
    /// An OMJob CRD without a schema, as an older or hand-made installation may have: the API
    /// server then stores whatever it is given, and only the operator can say what is wrong.
    static let permissiveCRD = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: omjobs.pipelines.openmetadata.org}
        spec:
          group: pipelines.openmetadata.org
          scope: Namespaced
          names: {kind: OMJob, plural: omjobs, singular: omjob, shortNames: [omj]}
          versions:
          - name: v1
            served: true
            storage: true
            subresources: {status: {}}
            schema:
              openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
        """

    static func broken(_ name: String, spec: JSONValue) -> JSONValue {
        [
            "apiVersion": "pipelines.openmetadata.org/v1", "kind": "OMJob",
            "metadata": ["name": .string(name), "namespace": .string(OperatorUnderTest.namespace)], "spec": spec,
        ]
    }

    @Test func malformedRunsFailClearlyWhileAGoodRunCompletes() async throws {
        let crds = try Paths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: crds) }
        try Self.permissiveCRD.write(toFile: crds + "/omjob.yaml", atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(atPath: Paths.crds + "/cronomjob.yaml", toPath: crds + "/cronomjob.yaml")
        try await OperatorUnderTest.run(crdDirectory: crds) { op in
            try op.create(Self.broken("no-main-spec", spec: ["exitHandlerSpec": ["image": "i", "command": ["c"]]]))
            try op.create(
                Self.broken(
                    "image-number", spec: ["mainPodSpec": ["image": 42, "command": ["c"], "serviceAccountName": "sa"]]))
            try op.create(OperatorUnderTest.omJob("fine"))
            _ = try await op.waitForPod("fine-main")
            try op.setRunning("fine-main")
            try op.terminate("fine-main", exitCode: 0, reason: "Completed")
            try op.finishExitHandler(try await op.waitForExitPod(of: "fine"))
            try await op.expectEnded("fine", phase: "Succeeded", reason: "Completed", pipelineStatus: "success")

            for (name, field) in [("no-main-spec", "mainPodSpec"), ("image-number", "image")] {
                try await op.waitForPhase(name, "Failed")
                let message = op.omJob(name)?["status"]?["message"]?.stringValue ?? ""
                #expect(message.contains(field), "\(name): \(message)")
                #expect(op.pods(of: name, type: "main").isEmpty, "no pod for \(name)")
                _ = try await eventually("Warning event for \(name)") {
                    op.warningEvents(for: name).isEmpty ? nil : true
                }
                try await op.expectNoFinalizers(name)
            }
        }
    }

    @Test func aNameTooLongForPodNamesAndLabelsStillRuns() async throws {
        let name = "om-job-" + String(repeating: "very-long-pipeline-name-", count: 5) + "a1b2c3d4"
        try await OperatorUnderTest.run { op in
            try op.create(OperatorUnderTest.omJob(name, runID: "run-long"))
            let main = try await eventually("main pod of the long-named run") {
                op.pods(ofRun: name, type: "main").first
            }
            let podName = main["metadata"]?["name"]?.stringValue ?? ""
            #expect(podName.count <= 63 && podName.hasSuffix("-main"), "pod name \(podName)")
            try op.setRunning(podName)
            try op.terminate(podName, exitCode: 0, reason: "Completed")
            let exit = try await eventually("exit pod of the long-named run") {
                op.pods(ofRun: name, type: "exit-handler").first?["metadata"]?["name"]?.stringValue
            }
            #expect(try await op.environment(ofPod: exit)["OMJOB_NAME"] == name)
            try op.finishExitHandler(exit)
            try await op.waitForPhase(name, "Succeeded")
        }
    }
}
