import Foundation
import KubeJSON
import Testing

@testable import Models

/// `PodView` keeps exactly what the decisions read, whichever way it is made.
@Suite struct PodViewTests {
    /// A main pod as the API server returns it: extra labels, annotations, managedFields,
    /// a full spec, an injected sidecar, conditions and a terminated `main` container.
    static let apiPod = Data(
        """
        {"apiVersion": "v1", "kind": "Pod",
         "metadata": {"name": "run-1-main", "namespace": "ingest", "uid": "pod-uid", "resourceVersion": "4711",
           "creationTimestamp": "2026-11-25T10:00:00Z", "deletionTimestamp": "2026-11-25T10:05:00Z", "deletionGracePeriodSeconds": 30,
           "generation": 1, "annotations": {"kubectl.kubernetes.io/default-container": "main"},
           "labels": {"app.kubernetes.io/name": "openmetadata", "omjob.pipelines.openmetadata.org/name": "run-1",
                      "omjob.pipelines.openmetadata.org/pod-type": "main"},
           "ownerReferences": [{"apiVersion": "pipelines.openmetadata.org/v1", "kind": "OMJob", "name": "run-1", "uid": "job-uid", "controller": true}],
           "finalizers": ["omjob.pipelines.openmetadata.org/exit-handler"],
           "managedFields": [{"manager": "omjob-operator", "fieldsV1": {"f:metadata": {}}}]},
         "spec": {"nodeName": "node-3", "restartPolicy": "Never",
                  "containers": [{"name": "main", "image": "ingestion:1.5", "env": [{"name": "A", "value": "1"}]}, {"name": "istio-proxy"}]},
         "status": {"phase": "Failed", "reason": "Evicted", "message": "low on memory", "startTime": "2026-11-25T10:00:01Z",
           "hostIP": "10.0.0.1", "qosClass": "Burstable",
           "conditions": [{"type": "DisruptionTarget", "status": "True", "reason": "TerminationByKubelet", "lastTransitionTime": "2026-11-25T10:04:00Z"}],
           "containerStatuses": [
             {"name": "istio-proxy", "state": {"running": {"startedAt": "2026-11-25T10:00:02Z"}}},
             {"name": "main", "image": "ingestion:1.5", "imageID": "sha256:0", "restartCount": 0,
              "state": {"terminated": {"exitCode": 137, "reason": "OOMKilled", "finishedAt": "2026-11-25T10:04:30Z"}}}]}}
        """.utf8)

    @Test func decodingKeepsOnlyTheFieldsTheDecisionsRead() throws {
        let view = try JSONDecoder().decode(PodView.self, from: Self.apiPod)
        #expect(view.metadata.key == ObjectKey(namespace: "ingest", name: "run-1-main"))
        #expect(view.metadata.uid == "pod-uid" && view.metadata.resourceVersion == "4711")
        #expect(view.metadata.creationTimestamp == "2026-11-25T10:00:00Z" && view.metadata.isBeingDeleted)
        #expect(
            view.metadata.labels == [
                "omjob.pipelines.openmetadata.org/name": "run-1", "omjob.pipelines.openmetadata.org/pod-type": "main",
            ],
            "labels outside the operator's prefix are dropped")
        #expect(view.metadata.annotations == nil && view.metadata.generation == nil)
        #expect(view.metadata.ownerReferences?.first?.uid == "job-uid")
        #expect(view.metadata.finalizers == [OperatorLabels.finalizer])
        #expect(view.spec?.nodeName == "node-3")
        #expect(
            view.status?.phase == "Failed" && view.status?.reason == "Evicted"
                && view.status?.message == "low on memory")
        #expect(view.status?.startTime == "2026-11-25T10:00:01Z")
        #expect(view.condition("DisruptionTarget")?.reason == "TerminationByKubelet")
        #expect(view.status?.containerStatuses?.map(\.name) == ["main"], "only the operator's container is kept")
        #expect(view.containerStatus(named: "main")?.state?.terminated?.exitCode == 137)
    }

    @Test func aViewOfAFullPodEqualsTheViewDecodedFromItsJSON() throws {
        let pod = try JSONDecoder().decode(Pod.self, from: Self.apiPod)
        let decoded = try JSONDecoder().decode(PodView.self, from: JSONEncoder().encode(pod))
        #expect(PodView(pod) == decoded)
        #expect(PodView(pod) == (try JSONDecoder().decode(PodView.self, from: Self.apiPod)))
    }

    @Test func interningChangesNoValue() throws {
        let view = try JSONDecoder().decode(PodView.self, from: Self.apiPod)
        var interner = Interner()
        #expect(view.interned(&interner) == view)
        #expect(view.interned(&interner) == view, "a second, shared copy is still equal")
        #expect(interner.count > 0)
    }

    @Test func aPodWithoutSpecOrStatusDecodes() throws {
        let view = try JSONDecoder().decode(
            PodView.self, from: Data(#"{"metadata": {"name": "p", "namespace": "n"}}"#.utf8))
        #expect(view.metadata.key == ObjectKey(namespace: "n", name: "p"))
        #expect(view.spec == nil && view.status == nil)
    }
}

/// The byte-level readers give exactly what the Codable decoders give.
@Suite struct JSONReadingTests {
    @Test func aPodViewReadFromBytesEqualsTheDecodedOne() throws {
        let read = try PodView(jsonBytes: PodViewTests.apiPod)
        #expect(read == (try JSONDecoder().decode(PodView.self, from: PodViewTests.apiPod)))
        #expect(read.metadata.annotations == nil && read.metadata.labels?.count == 2)
        let bare = Data(#"{"metadata": {"name": "p", "namespace": "n"}, "spec": null, "status": null}"#.utf8)
        #expect(try PodView(jsonBytes: bare) == (try JSONDecoder().decode(PodView.self, from: bare)))
    }

    @Test(arguments: [
        #"{"spec": {}}"#,
        #"{"metadata": {"ownerReferences": [{"kind": "OMJob"}]}}"#,
        #"{"metadata": {}, "status": {"containerStatuses": [{"name": "main", "state": {"terminated": {"reason": "x"}}}]}}"#,
        #"{"metadata": {"name": 3}}"#,
    ])
    func aPodViewTheDecoderRefusesIsRefused(json: String) {
        #expect(throws: (any Error).self) { try JSONDecoder().decode(PodView.self, from: Data(json.utf8)) }
        #expect(throws: JSONReadError.self) { try PodView(jsonBytes: Array(json.utf8)) }
    }

    static let omJob = Data(
        """
        {"apiVersion": "pipelines.openmetadata.org/v1", "kind": "OMJob",
         "metadata": {"name": "run-1", "namespace": "ingest", "uid": "u-1", "resourceVersion": "9", "generation": 2,
           "labels": {"a": "b"}, "annotations": {"note": "x"}, "finalizers": ["omjob.pipelines.openmetadata.org/exit-handler"],
           "managedFields": [{"manager": "kubectl"}]},
         "spec": {"ttlSecondsAfterFinished": 60, "activeDeadlineSeconds": 3600, "killDeadlineSeconds": 30, "unknown": {"x": 1},
           "mainPodSpec": {"image": "ingestion:1.5", "imagePullPolicy": "IfNotPresent", "imagePullSecrets": [{"name": "reg"}],
             "serviceAccountName": "sa", "command": ["python", "main.py"], "args": ["--x"],
             "env": [{"name": "A", "value": "1"}, {"name": "B", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k", "optional": true}}},
                     {"name": "C", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
                     {"name": "D", "valueFrom": {"resourceFieldRef": {"resource": "limits.cpu", "divisor": "1m"}}}],
             "resources": {"limits": {"cpu": "1", "memory": "1Gi"}, "requests": {"cpu": 0.5}},
             "nodeSelector": {"pool": "etl"}, "tolerations": [{"key": "k", "operator": "Exists"}], "affinity": {"nodeAffinity": {}},
             "priorityClassName": "low", "securityContext": {"runAsUser": 1000}, "labels": {"l": "v"}, "annotations": {"a": "v"}},
           "exitHandlerSpec": {"image": "ingestion:1.5", "command": ["python", "exit.py"], "affinity": null}},
         "status": {"phase": "ExitHandlerRunning", "observedGeneration": 2, "mainPodName": "run-1-main", "exitHandlerPodName": "run-1-exit",
           "startTime": "2026-11-25T10:00:00Z", "mainPodExitCode": 1,
           "mainPodTermination": {"reason": "Error", "exitCode": 1, "source": "containerStatus", "finishedAt": "2026-11-25T10:01:00Z"},
           "exitHandlerAttempts": 1, "podCreateFailure": {"podType": "exit-handler", "podName": "run-1-exit", "attempt": 1, "code": 403},
           "conditions": [{"type": "MainPodFinished", "status": "True", "lastTransitionTime": "2026-11-25T10:01:00Z", "reason": "Error", "message": "exit 1"}]}}
        """.utf8)

    @Test func anOMJobReadFromBytesEqualsTheDecodedOne() throws {
        let read = try OMJob(jsonBytes: Self.omJob)
        let decoded = try JSONDecoder().decode(OMJob.self, from: Self.omJob)
        #expect(read == decoded)
        #expect(
            read.spec?.mainPodSpec?.env?.count == 4 && read.status?.phase == .exitHandlerRunning
                && read.specError == nil)
    }

    /// A phase view read from bytes is the pod view with no spec and only its phase.
    @Test func aPodPhaseViewReadFromBytesIsTheViewWithItsPhaseOnly() throws {
        let read = try PodPhaseView(jsonBytes: PodViewTests.apiPod)
        let view = try PodView(jsonBytes: PodViewTests.apiPod)
        #expect(read == PodPhaseView(view))
        #expect(read.pod.metadata == view.metadata && read.pod.spec == nil)
        #expect(read.pod.status == PodView.Status(phase: view.status?.phase) && view.status?.phase != nil)
        let bare = Data(#"{"metadata": {"name": "p"}, "spec": {"nodeName": "n"}, "status": null}"#.utf8)
        #expect(try PodPhaseView(jsonBytes: bare).pod.status == nil)
        #expect(throws: JSONReadError.self) { try PodPhaseView(jsonBytes: Array(#"{"status": {}}"#.utf8)) }
    }

    /// Read without templates, an OMJob is the whole one with its templates dropped, and an
    /// unreadable template is stepped over unread.
    @Test func anOMJobReadWithoutPodTemplatesIsTheWholeOneWithoutThem() throws {
        let read = try OMJobWithoutPodTemplates(jsonBytes: Self.omJob).omJob
        #expect(read == (try OMJob(jsonBytes: Self.omJob)).withoutPodTemplates())
        #expect(read.podTemplatesDropped && read.spec?.mainPodSpec == nil && read.spec?.exitHandlerSpec == nil)
        #expect(read.spec?.ttlSecondsAfterFinished == 60 && read.status?.phase == .exitHandlerRunning)
        let badTemplate =
            #"{"metadata": {"name": "r"}, "spec": {"ttlSecondsAfterFinished": 5, "mainPodSpec": {"image": 5}}}"#
        let lenient = try OMJobWithoutPodTemplates(jsonBytes: Array(badTemplate.utf8)).omJob
        #expect(lenient.specError == nil && lenient.spec?.ttlSecondsAfterFinished == 5)
        let decoded = try JSONDecoder().decode(OMJobWithoutPodTemplates.self, from: Self.omJob).omJob
        #expect(decoded == read)
    }

    @Test(arguments: [
        #"{"metadata": {"name": "r"}}"#,
        #"{"metadata": {"name": "r"}, "spec": null, "status": null}"#,
        #"{"metadata": {"name": "r"}, "spec": {"mainPodSpec": {"image": 5}}}"#,
        #"{"metadata": {"name": "r"}, "spec": {"mainPodSpec": {"env": [{"value": "x"}]}}}"#,
        #"{"metadata": {"name": "r"}, "spec": {"ttlSecondsAfterFinished": "soon"}}"#,
        #"{"metadata": {"name": "r"}, "spec": {}, "status": {"phase": "Exploded"}}"#,
        #"{"metadata": {"name": "r"}, "spec": {}, "status": {"conditions": [{"type": "A"}]}}"#,
    ])
    func anOMJobWithAnUnreadableSpecOrStatusReadsAsDecoded(json: String) throws {
        let read = try OMJob(jsonBytes: Array(json.utf8))
        let decoded = try JSONDecoder().decode(OMJob.self, from: Data(json.utf8))
        #expect(read == decoded)
        #expect(read.specError == decoded.specError)
    }
}
