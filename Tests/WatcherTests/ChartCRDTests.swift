import Foundation
import Models
import Testing

@testable import Watcher

/// The decision under OpenMetadata's chart CRD, whose schema prunes every status field but the
/// Java operator's seven: every run must still end, from its record in annotations and its pods.
@Suite struct ChartCRDTests {
    func started(_ schema: StatusSchema) throws -> FakeCluster {
        var cluster = FakeCluster(omJob: try Fixtures.openMetadataOMJob(), now: T.at("2025-01-09T15:30:00Z"))
        cluster.schema = schema
        cluster.settle()
        return cluster
    }

    func expectNothingLeftBehind(_ cluster: FakeCluster) {
        #expect(cluster.omJob?.metadata.finalizers == nil)
        for pod in cluster.pods.values { #expect(pod.metadata.finalizers == nil, "\(pod.metadata.name ?? "")") }
    }

    static let endings = LifecycleTests.endings

    @Test(arguments: endings, StatusSchema.allCases)
    func everyEndingRunsOneExitHandlerAndFinishes(fixture: String, schema: StatusSchema) throws {
        let shaped = try Fixtures.decode(MainPodFixture.self, "main-pod", fixture)
        var cluster = try started(schema)
        let main = try #require(cluster.mainPod?.metadata.name)
        cluster.now = T.at(shaped.now)
        cluster.node = shaped.node.map(NodeReadiness.init(node:))
        var pod = try #require(cluster.pods[main])
        pod.metadata.creationTimestamp = shaped.pod.metadata.creationTimestamp
        pod.metadata.deletionTimestamp = shaped.pod.metadata.deletionTimestamp
        pod.spec?.nodeName = shaped.pod.spec?.nodeName
        pod.status = shaped.pod.status
        cluster.pods[main] = pod
        cluster.settle()

        let job = try #require(cluster.omJob)
        #expect(job.effectiveStatus.mainPodTermination?.reason == shaped.expect.reason)
        if schema == .openMetadataChart {
            #expect(
                job.metadata.annotations?[RecordAnnotations.mainPodTermination] != nil, "the ending is in the record")
        }
        #expect(job.status?.phase == .exitHandlerRunning)
        let exits = cluster.exitPods
        #expect(exits.count == 1)
        let exit = try #require(exits.first)
        #expect(exit.env("pipelineStatus") == ((shaped.expect.success ?? false) ? "success" : "failed"))
        cluster.exit(exit.metadata.name!, code: 0)
        cluster.settle()
        #expect(cluster.omJob?.status?.phase == .succeeded)
        #expect(cluster.exitPods.count == 1, "no second exit handler")
        expectNothingLeftBehind(cluster)
    }

    @Test(arguments: StatusSchema.allCases)
    func aFailingExitHandlerIsRetriedOnceThenSucceeds(schema: StatusSchema) throws {
        var cluster = try started(schema)
        let main = try #require(cluster.mainPod?.metadata.name)
        cluster.exit(main, code: 0)
        cluster.settle()
        cluster.exit(try #require(cluster.exitPods.first?.metadata.name), code: 1)
        cluster.settle()
        cluster.now = cluster.now.addingTimeInterval(10)
        cluster.settle()
        #expect(cluster.exitPods.count == 2)
        let retry = try #require(cluster.pods["om-job-mysql-pipeline-a1b2c3d4-exit-2"])
        cluster.exit(retry.metadata.name!, code: 0)
        cluster.settle()
        #expect(cluster.omJob?.status?.phase == .succeeded)
        #expect(cluster.omJob?.effectiveStatus.exitHandlerAttempts == 2)
        #expect(cluster.exitPods.count == 2, "no third attempt")
        expectNothingLeftBehind(cluster)
    }

    @Test(arguments: StatusSchema.allCases)
    func aKillStillRunsTheExitHandlerAndTheOMJobGoes(schema: StatusSchema) throws {
        var cluster = try started(schema)
        let main = try #require(cluster.mainPod?.metadata.name)
        cluster.run(main)
        cluster.settle()
        cluster.deleteOMJob()
        cluster.settle()
        cluster.exit(main, code: 143)
        cluster.settle()
        #expect(cluster.omJob?.effectiveStatus.mainPodTermination?.reason == "Killed")
        let exit = try #require(cluster.exitPods.first)
        #expect(exit.env("pipelineStatus") == "failed")
        cluster.exit(exit.metadata.name!, code: 0)
        cluster.settle()
        #expect(cluster.omJob == nil, "the OMJob's deletion completed")
        #expect(cluster.pods[main] == nil)
    }

    /// The API server rejects the main pod for good: the executor records it in an annotation too.
    @Test func aRejectedMainPodEndsWithCreateFailedFromTheRecord() throws {
        var scenario = try RunScenario()
        scenario.omJob.status = nil
        let failure = PodCreateFailure(
            podType: .main, podName: "om-job-mysql-pipeline-a1b2c3d4-main", attempt: 1, reason: "Forbidden",
            code: 403, message: "exceeded quota")
        scenario.omJob.metadata.annotations = RunRecord(podCreateFailure: failure).annotations
        let decision = scenario.decide()
        #expect(decision.status?.mainPodTermination?.reason == "CreateFailed")
        #expect(decision.createdPods.first?.metadata.labels?[OperatorLabels.podType] == "exit-handler")
    }

    /// A run whose record is only in its status, with no annotation, under a CRD that keeps its status.
    @Test func aRecordKeptOnlyInTheStatusStillCounts() throws {
        var scenario = try RunScenario()
        scenario.recordEnding(
            MainPodTermination(reason: "Error", exitCode: 1, source: "ContainerTerminated"), attempts: 1)
        scenario.pods = [scenario.exitPod(attempt: 1, exitCode: nil)]
        let decision = scenario.decide()
        #expect(decision.createdPods.isEmpty, "attempt 1 is running")
        #expect(decision.status == nil, "nothing to write")
    }

    /// What the annotation says wins over a status field (a stale status cannot undo the record).
    @Test func theAnnotationWinsOverTheStatusField() throws {
        var omJob = try Fixtures.openMetadataOMJob()
        var status = OMJobStatus(phase: .exitHandlerRunning)
        status.exitHandlerAttempts = 1
        omJob.status = status
        omJob.metadata.annotations = RunRecord(exitHandlerAttempts: 2).annotations
        #expect(omJob.effectiveStatus.exitHandlerAttempts == 2)
        omJob.metadata.annotations = [RecordAnnotations.exitHandlerAttempts: "not a number"]
        #expect(omJob.effectiveStatus.exitHandlerAttempts == 1, "an unreadable annotation counts as absent")
    }

    @Test func theRecordRoundTripsThroughItsAnnotations() {
        let record = RunRecord(
            mainPodTermination: MainPodTermination(
                reason: "OOMKilled", message: "limit 1Gi", exitCode: 137, signal: 9,
                source: "ContainerTerminated", recordedAt: "2025-01-09T15:45:00Z"),
            exitHandlerAttempts: 3,
            podCreateFailure: PodCreateFailure(
                podType: .exitHandler, podName: "x-exit-3", attempt: 3, reason: "Invalid", code: 422),
            cleanupTime: "2025-01-10T15:45:00Z")
        #expect(RunRecord(annotations: record.annotations) == record)
        #expect(Set(record.annotations.keys) == Set(RecordAnnotations.all))
    }

    /// The Java operator's run, adopted mid-way: no finalizers, its labels (no attempt label, no
    /// UID label), its status, and its `<name>-exit` already running. No second exit handler.
    @Test func aRunStartedByTheJavaOperatorIsAdoptedWithoutASecondExitHandler() throws {
        var omJob = try Fixtures.openMetadataOMJob()
        let name = omJob.metadata.name!
        var status = OMJobStatus(phase: .exitHandlerRunning)
        status.mainPodName = "\(name)-main"
        status.exitHandlerPodName = "\(name)-exit"
        status.mainPodExitCode = 0
        omJob.status = status
        var cluster = FakeCluster(omJob: omJob, now: T.at("2025-01-09T16:00:00Z"))
        cluster.schema = .openMetadataChart
        cluster.pods["\(name)-main"] = Self.javaPod(
            omJob, name: "\(name)-main", type: "main", phase: "Succeeded", exitCode: 0)
        cluster.pods["\(name)-exit"] = Self.javaPod(
            omJob, name: "\(name)-exit", type: "exit-handler", phase: "Running", exitCode: nil)
        cluster.settle()
        #expect(cluster.exitPods.count == 1, "the Java operator's exit pod is followed, not duplicated")
        #expect(cluster.omJob?.metadata.finalizers == [OperatorLabels.finalizer], "guarded from now on")
        cluster.exit("\(name)-exit", code: 0)
        cluster.settle()
        #expect(cluster.omJob?.status?.phase == .succeeded)
        #expect(cluster.exitPods.count == 1)
        expectNothingLeftBehind(cluster)
    }

    /// A pod as the Java operator builds it (its labels and owner reference, no finalizer).
    static func javaPod(_ omJob: OMJob, name: String, type: String, phase: String, exitCode: Int?) -> Pod {
        let labels = [
            "app.kubernetes.io/name": "openmetadata", "app.kubernetes.io/component": "ingestion",
            "app.kubernetes.io/managed-by": "omjob-operator", OperatorLabels.omJobName: omJob.metadata.name!,
            OperatorLabels.podType: type,
        ]
        let owner = OwnerReference(
            apiVersion: "pipelines.openmetadata.org/v1", kind: "OMJob", name: omJob.metadata.name!,
            uid: omJob.metadata.uid!, controller: true, blockOwnerDeletion: true)
        var pod = Pod(
            metadata: ObjectMeta(
                name: name, namespace: omJob.metadata.namespace, labels: labels, ownerReferences: [owner]),
            spec: PodSpec(containers: [Container(name: "main", image: "openmetadata/ingestion-base:1.5.0")]))
        pod.metadata.uid = "java-\(name)"
        pod.metadata.resourceVersion = "900"
        pod.metadata.creationTimestamp = "2025-01-09T15:40:00Z"
        pod.spec?.nodeName = "worker-1"
        if let exitCode {
            let terminated = ContainerStateTerminated(
                exitCode: exitCode, reason: exitCode == 0 ? "Completed" : "Error",
                startedAt: "2025-01-09T15:41:00Z", finishedAt: "2025-01-09T15:50:00Z")
            pod.status = PodStatus(phase: phase, container: ContainerState(terminated: terminated))
        } else {
            pod.status = PodStatus(
                phase: phase,
                container: ContainerState(running: ContainerStateRunning(startedAt: "2025-01-09T15:51:00Z")))
        }
        return pod
    }
}

extension ChartCRDTests {
    /// Under a CRD that prunes, the record costs one write per change of it; under one that keeps
    /// the status (seen by `observedGeneration` surviving the first write), none.
    @Test(arguments: StatusSchema.allCases)
    func theRecordCostsAWriteOnlyWhereTheCRDPrunes(schema: StatusSchema) throws {
        var cluster = try started(schema)
        let main = try #require(cluster.mainPod?.metadata.name)
        cluster.run(main)
        cluster.settle()
        cluster.exit(main, code: 0)
        cluster.settle()
        cluster.exit(try #require(cluster.exitPods.first?.metadata.name), code: 0)
        cluster.settle()
        #expect(cluster.omJob?.status?.phase == .succeeded)
        let recordWrites = cluster.writes.filter { $0 == "patchOMJobRecord" }.count
        #expect(recordWrites == (schema == .project ? 0 : 1), "\(cluster.writes)")
        #expect(cluster.writes.count <= (schema == .project ? 10 : 11))
    }
}
