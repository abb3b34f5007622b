import Foundation
import Testing

@testable import Shared

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
