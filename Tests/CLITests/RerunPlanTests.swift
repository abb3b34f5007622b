import Foundation
import KubeJSON
import Testing

@testable import OMJobCLI

/// `rerun` builds the new OMJob from the old one: same spec, fresh run id everywhere it appears.
@Suite struct RerunPlanTests {
    static let oldRunID = "3f2a9c1e-5b7d-4e8a-9c0f-1a2b3c4d5e6f"
    static let newRunID = "9b1c7d2e-0000-4000-8000-000000000001"

    static func original() -> JSONValue {
        var object = Objects.omjob("om-job-mysql-prod-metadata-3f2a9c1e", runID: oldRunID)
        object[at: ["metadata", "namespace"]] = "pipelines"
        object[at: ["metadata", "uid"]] = "old-uid"
        object[at: ["metadata", "resourceVersion"]] = "42"
        object[at: ["metadata", "creationTimestamp"]] = "2026-03-01T00:00:00Z"
        object[at: ["metadata", "finalizers"]] = ["omjob.pipelines.openmetadata.org/exit-handler"]
        object[at: ["metadata", "annotations"]] = [
            "kubectl.kubernetes.io/last-applied-configuration": "{}", "team": "data",
        ]
        object["status"] = ["phase": "Failed"]
        return object
    }

    @Test func theNewRunFollowsOpenMetadatasNamingAndCarriesTheNewRunIDEverywhere() throws {
        let run = RerunPlan.rerun(of: Self.original(), runID: Self.newRunID)
        #expect(run.name == "om-job-mysql-prod-metadata-9b1c7d2e")
        #expect(run[path: ["metadata", "namespace"]] == "pipelines")
        #expect(run[path: ["metadata", "labels", "app.kubernetes.io/run-id"]]?.stringValue == Self.newRunID)
        #expect(run[path: ["metadata", "labels", "app.kubernetes.io/pipeline"]] == "mysql-prod-metadata")
        #expect(
            run[path: ["metadata", "annotations", "omjob.pipelines.openmetadata.org/rerun-of"]]
                == "om-job-mysql-prod-metadata-3f2a9c1e")
        #expect(run[path: ["metadata", "annotations", "team"]] == "data")
        #expect(run[path: ["metadata", "annotations", "kubectl.kubernetes.io/last-applied-configuration"]] == nil)
        for field in ["uid", "resourceVersion", "creationTimestamp", "finalizers"] {
            #expect(run[path: ["metadata", field]] == nil, "\(field)")
        }
        #expect(run["status"] == nil)
        let env = run[path: ["spec", "mainPodSpec", "env"]]?.arrayValue ?? []
        #expect(env.first { $0["name"] == "pipelineRunId" }?["value"]?.stringValue == Self.newRunID)
        #expect(env.first { $0["name"] == "jobName" }?["value"]?.stringValue == run.name)
        #expect(
            env.first { $0["name"] == "config" }?["value"]?.stringValue?.contains("pipelineRunId: \(Self.newRunID)")
                == true)
        #expect(run[path: ["spec", "mainPodSpec", "labels", "app.kubernetes.io/run-id"]]?.stringValue == Self.newRunID)
        let text = String(decoding: try JSONEncoder().encode(run), as: UTF8.self)
        #expect(!text.contains(Self.oldRunID))
    }

    @Test func withoutTheLabelTheRunIDIsReadFromPipelineRunId() {
        var original = Self.original()
        original[at: ["metadata", "labels", "app.kubernetes.io/run-id"]] = nil
        let run = RerunPlan.rerun(of: original, runID: Self.newRunID)
        #expect(run.name == "om-job-mysql-prod-metadata-9b1c7d2e")
        let env = run[path: ["spec", "exitHandlerSpec", "env"]]?.arrayValue ?? []
        #expect(env.first { $0["name"] == "pipelineRunId" }?["value"]?.stringValue == Self.newRunID)
    }

    @Test func aNameWithoutTheRunIDGetsItAppendedAndAGivenNameWins() {
        var original = Self.original()
        original[at: ["metadata", "name"]] = .string(String(repeating: "n", count: 63))
        #expect(
            RerunPlan.rerun(of: original, runID: Self.newRunID).name == String(repeating: "n", count: 54) + "-9b1c7d2e")
        #expect(RerunPlan.rerun(of: original, runID: Self.newRunID, name: "again").name == "again")
    }
}

/// Where `omjob ctl` looks for the broker, and how `--raw` shows a frame.
@Suite struct CtlSocketTests {
    @Test func socketCandidatesFollowTheSupervisorsLayout() {
        let paths = CtlOptions.candidates(
            environment: ["OMJOB_BROKER_SOCKET": "/x/b.sock", "OMJOB_RUN_DIR": "/run/omjob"], uid: 65532)
        #expect(
            Array(paths.prefix(3)) == ["/x/b.sock", "/run/omjob/broker.sock", "/run/omjob/omjob-65532/broker.sock"])
    }

    @Test func rawFramesShowDirectionAndLength() {
        let frame = Array("7\n{\"a\":1}\n".utf8)
        #expect(BrokerSession.show(frame, direction: ">") == "> 7\n> {\"a\":1}\n")
    }
}
