import Foundation
import Shared
import Testing

@testable import Watcher

/// An OMJob exactly as OpenMetadata's server builds it must produce pods that OpenMetadata's
/// exit_handler.py finds with its own label selectors (ingestion/operators/docker/exit_handler.py,
/// `find_main_pod`) and that get `pipelineStatus` right.
@Suite struct OpenMetadataContractTests {
    /// exit_handler.py's equality-based selectors, in its order; `jobName` and `pipelineRunId` come
    /// from the exit pod's own environment, as in the script.
    static func selectors(jobName: String, runID: String) -> [[String: String]] {
        [
            ["job-name": jobName],
            ["omjob.pipelines.openmetadata.org/name": jobName, "omjob.pipelines.openmetadata.org/pod-type": "main"],
            ["omjob.pipelines.openmetadata.org/name": jobName],
            ["app.kubernetes.io/run-id": runID, "omjob.pipelines.openmetadata.org/pod-type": "main"],
            ["app.kubernetes.io/run-id": runID],
        ]
    }

    static func matches(_ selector: [String: String], _ pod: Pod) -> Bool {
        selector.allSatisfy { pod.metadata.labels?[$0.key] == $0.value }
    }

    func runToExitHandler(mainFixture: String) throws -> (main: Pod, exit: Pod) {
        var run = try RunScenario()
        let main = try run.mainPod(mainFixture)
        run.pods = [main]
        let exit = try #require(run.decide().createdPods.first)
        return (main, exit)
    }

    @Test func exitHandlerPyFindsTheMainPodFirst() throws {
        let (main, exit) = try runToExitHandler(mainFixture: "failed-oomkilled")
        let jobName = try #require(exit.env("jobName"))
        let runID = try #require(exit.env("pipelineRunId"))
        let first = Self.selectors(jobName: jobName, runID: runID).first { selector in
            Self.matches(selector, main) || Self.matches(selector, exit)
        }
        let selector = try #require(first)
        #expect(Self.matches(selector, main))
        #expect(!Self.matches(selector, exit), "the first matching selector must not also pick the exit pod")
        #expect(main.spec?.containers.map(\.name) == ["main"], "exit_handler.py reads the logs of container main")
    }

    @Test func theRunIDSelectorFindsTheMainPodToo() throws {
        let (main, exit) = try runToExitHandler(mainFixture: "failed-oomkilled")
        let selector = [
            "app.kubernetes.io/run-id": exit.env("pipelineRunId")!, "omjob.pipelines.openmetadata.org/pod-type": "main",
        ]
        #expect(Self.matches(selector, main))
        #expect(!Self.matches(selector, exit))
    }

    @Test(arguments: [
        ("succeeded-completed", "success"), ("failed-oomkilled", "failed"), ("failed-evicted-node-pressure", "failed"),
    ])
    func pipelineStatusFollowsTheMainPod(fixture: String, expected: String) throws {
        let (_, exit) = try runToExitHandler(mainFixture: fixture)
        #expect(exit.env("pipelineStatus") == expected)
    }

    @Test func podsCarryTheOperatorsLabelsOverOpenMetadatas() throws {
        let (main, exit) = try runToExitHandler(mainFixture: "succeeded-completed")
        for (pod, type) in [(main, "main"), (exit, "exit-handler")] {
            let labels = try #require(pod.metadata.labels)
            #expect(labels["app.kubernetes.io/managed-by"] == "omjob-operator")
            #expect(labels["app.kubernetes.io/name"] == "openmetadata")
            #expect(labels["app.kubernetes.io/component"] == "ingestion")
            #expect(labels["omjob.pipelines.openmetadata.org/name"] == "om-job-mysql-pipeline-a1b2c3d4")
            #expect(labels["omjob.pipelines.openmetadata.org/pod-type"] == type)
            #expect(labels["app.kubernetes.io/pipeline"] == "mysql-pipeline")
            #expect(labels["app.kubernetes.io/run-id"] == "a1b2c3d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d")
            #expect(labels["app.kubernetes.io/pipeline-type"] == "metadata", "podSpec.labels are kept")
            let owner = try #require(pod.metadata.ownerReferences?.first)
            #expect(
                owner.kind == "OMJob" && owner.uid == "0b6c1e2a-2222-4c3d-8e9f-a0b1c2d3e4f5" && owner.controller == true
            )
            #expect(pod.spec?.restartPolicy == "Never")
        }
    }

    @Test func theExitPodInheritsPullSecretsAndKeepsOpenMetadatasEnvironment() throws {
        let (main, exit) = try runToExitHandler(mainFixture: "succeeded-completed")
        #expect(main.spec?.imagePullSecrets == [LocalObjectReference(name: "regcred")])
        #expect(exit.spec?.imagePullSecrets == [LocalObjectReference(name: "regcred")])
        for name in ["config", "pipelineRunId", "jobName", "namespace", "pipelineType", "ingestionPipelineFQN"] {
            #expect(exit.env(name) != nil, "\(name) from OpenMetadata's exitHandlerSpec")
            #expect(main.env(name) != nil, "\(name) from OpenMetadata's mainPodSpec")
        }
        #expect(exit.env("OMJOB_NAME") == "om-job-mysql-pipeline-a1b2c3d4")
        #expect(exit.env("OMJOB_NAMESPACE") == "openmetadata-pipelines")
        #expect(exit.spec?.containers[0].command == ["python", "exit_handler.py"])
    }

    @Test func containersAreHardenedWithThePodsIdentity() throws {
        let (main, _) = try runToExitHandler(mainFixture: "succeeded-completed")
        let context = try #require(main.spec?.containers[0].securityContext)
        #expect(context.allowPrivilegeEscalation == false)
        #expect(context.capabilities?.drop == ["ALL"])
        #expect(context.runAsNonRoot == true)
        #expect(context.runAsUser == 1000)
        #expect(context.runAsGroup == 1000)
        #expect(main.spec?.securityContext?["fsGroup"] == 1000, "the pod-level context is passed through")
    }

    @Test func thePodBodyEncodesAsTheAPIServerExpects() throws {
        let main = try #require(try RunScenario().decide().createdPods.first)
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(main)) as? [String: Any]
        let spec = json?["spec"] as? [String: Any]
        let container = (spec?["containers"] as? [[String: Any]])?.first
        let resources = container?["resources"] as? [String: Any]
        #expect((resources?["limits"] as? [String: Any])?["cpu"] as? String == "2", "quantities stay strings")
        #expect(json?["status"] == nil, "no status in a create body")
        #expect(json?["apiVersion"] as? String == "v1")
    }
}
