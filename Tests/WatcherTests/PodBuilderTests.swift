import Foundation
import KubeJSON
import Shared
import Testing

@testable import Watcher

/// DESIGN.md §3's pod rules that the contract test does not already pin.
@Suite struct PodBuilderTests {
    func spec(labels: [String: String]? = nil, env: [EnvVar]? = nil) -> OMJobPodSpec {
        var spec = OMJobPodSpec(image: "busybox", command: ["true"], serviceAccountName: "sa", env: env)
        spec.labels = labels
        return spec
    }

    func omJob() -> OMJob {
        OMJob(metadata: ObjectMeta(name: "run", namespace: "ns"), spec: OMJobSpec(mainPodSpec: spec()))
    }

    @Test func operatorLabelsWinOverPodSpecLabels() {
        var job = omJob()
        job.metadata.uid = "uid-1"
        let pod = PodBuilder.mainPod(
            omJob: job,
            spec: spec(labels: [
                "app.kubernetes.io/managed-by": "openmetadata",
                "omjob.pipelines.openmetadata.org/pod-type": "exit-handler", "team": "data",
            ]))
        #expect(pod.metadata.labels?["app.kubernetes.io/managed-by"] == "omjob-operator")
        #expect(pod.metadata.labels?["omjob.pipelines.openmetadata.org/pod-type"] == "main")
        #expect(pod.metadata.labels?["team"] == "data")
        #expect(pod.metadata.labels?[OperatorLabels.omJobUID] == "uid-1")
    }

    @Test func anEmptyValueFromIsDroppedAndRealSourcesKept() {
        let env = [
            EnvVar(name: "EMPTY", valueFrom: EnvVarSource()),
            EnvVar(name: "FROM_CM", valueFrom: EnvVarSource(configMapKeyRef: KeySelector(name: "cm", key: "config"))),
            EnvVar(
                name: "FROM_SECRET",
                valueFrom: EnvVarSource(secretKeyRef: KeySelector(name: "s", key: "token", optional: true))),
            EnvVar(name: "POD", valueFrom: EnvVarSource(fieldRef: ObjectFieldSelector(fieldPath: "metadata.name"))),
            EnvVar(
                name: "MEM",
                valueFrom: EnvVarSource(
                    resourceFieldRef: ResourceFieldSelector(
                        containerName: "main", resource: "limits.memory", divisor: "1Mi"))),
        ]
        let pod = PodBuilder.mainPod(omJob: omJob(), spec: spec(env: env))
        let built = pod.spec?.containers[0].env ?? []
        #expect(built.map(\.name) == ["EMPTY", "FROM_CM", "FROM_SECRET", "POD", "MEM"])
        #expect(built[0].valueFrom == nil)
        #expect(built[1].valueFrom?.configMapKeyRef?.key == "config")
        #expect(built[2].valueFrom?.secretKeyRef?.optional == true)
        #expect(built[3].valueFrom?.fieldRef?.fieldPath == "metadata.name")
        #expect(built[4].valueFrom?.resourceFieldRef?.divisor == "1Mi")
    }

    @Test func theOperatorsExitVariablesReplaceSpecVariablesOfTheSameName() {
        var job = omJob()
        job.spec?.exitHandlerSpec = spec(env: [
            EnvVar(name: "pipelineStatus", value: "success"), EnvVar(name: "keep", value: "1"),
        ])
        let ending = MainPodTermination(
            reason: "OOMKilled", message: "killed", exitCode: 137, signal: 9, source: "ContainerTerminated")
        let pod = PodBuilder.exitPod(
            omJob: job, spec: job.spec!, exitSpec: job.spec!.exitHandlerSpec!, mainPodName: "run-main",
            ending: ending, attempt: 1, owned: true)
        let env = pod.spec?.containers[0].env ?? []
        #expect(env.filter { $0.name == "pipelineStatus" }.map(\.value) == ["failed"])
        #expect(pod.env("keep") == "1")
        #expect(pod.env("OMJOB_MAIN_EXIT_CODE") == "137")
        #expect(pod.env("OMJOB_MAIN_MESSAGE") == "killed")
        #expect(pod.metadata.finalizers == nil, "only main pods carry the finalizer")
    }

    @Test func theExitPodKeepsItsOwnPullSecretsAndServiceAccount() {
        var job = omJob()
        job.spec?.mainPodSpec?.imagePullSecrets = [LocalObjectReference(name: "main-secret")]
        var exitSpec = spec()
        exitSpec.imagePullSecrets = [LocalObjectReference(name: "exit-secret")]
        exitSpec.serviceAccountName = "exit-sa"
        let pod = PodBuilder.exitPod(
            omJob: job, spec: job.spec!, exitSpec: exitSpec, mainPodName: "run-main",
            ending: MainPodTermination(reason: "Completed", exitCode: 0, source: "PodPhase"), attempt: 2, owned: true)
        #expect(pod.spec?.imagePullSecrets == [LocalObjectReference(name: "exit-secret")])
        #expect(pod.spec?.serviceAccountName == "exit-sa")
        #expect(pod.metadata.name == "run-exit-2")
        #expect(pod.env("pipelineStatus") == "success")
    }

    @Test func unknownMembersOfOpenEndedFieldsArePassedThrough() throws {
        var podSpec = spec()
        podSpec.securityContext = ["seccompProfile": ["type": "RuntimeDefault"], "runAsUser": 42]
        podSpec.tolerations = [["key": "dedicated", "operator": "Equal", "value": "ingestion", "effect": "NoSchedule"]]
        podSpec.affinity = [
            "nodeAffinity": ["requiredDuringSchedulingIgnoredDuringExecution": ["nodeSelectorTerms": []]]
        ]
        let pod = PodBuilder.mainPod(omJob: omJob(), spec: podSpec)
        #expect(pod.spec?.securityContext?["seccompProfile"]?["type"] == "RuntimeDefault")
        #expect(pod.spec?.tolerations?.first?["key"] == "dedicated")
        #expect(pod.spec?.affinity?["nodeAffinity"] != nil)
        #expect(pod.spec?.containers[0].securityContext?.runAsUser == 42)
        #expect(pod.spec?.containers[0].securityContext?.runAsNonRoot == nil)
    }
}
