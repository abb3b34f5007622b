import Foundation
import Shared
import Testing

@testable import Watcher

/// Which runs a change concerns, and what the decision is given.
@Suite struct WatchCacheTests {
    static func omJob(_ name: String, uid: String = "uid-1") -> OMJob {
        var job = OMJob(metadata: ObjectMeta(name: name, namespace: "ns"), spec: nil)
        job.metadata.uid = uid
        job.metadata.resourceVersion = "1"
        return job
    }

    /// A pod as the watcher's informer keeps it.
    static func pod(_ name: String, run: String, node: String? = nil) -> PodView {
        var pod = PodView(
            metadata: ObjectMeta(name: name, namespace: "ns"), spec: PodView.Spec(nodeName: node), status: nil)
        pod.metadata.labels = [OperatorLabels.omJobName: PodNaming.labelValue(run), OperatorLabels.podType: "main"]
        pod.metadata.ownerReferences = [
            OwnerReference(
                apiVersion: "pipelines.openmetadata.org/v1", kind: "OMJob", name: run, uid: "uid-1", controller: true)
        ]
        return pod
    }

    static func node(_ name: String, ready: String) -> Node {
        var node = Node(metadata: ObjectMeta(name: name))
        node.status = NodeStatus(conditions: [
            NodeCondition(type: "Ready", status: ready, lastTransitionTime: "2025-01-09T16:00:00Z")
        ])
        return node
    }

    @Test func aPodChangeConcernsTheRunItIsLabelledFor() {
        var cache = WatchCache()
        _ = cache.apply(.upserted(Self.omJob("run-a")))
        _ = cache.apply(.upserted(Self.omJob("run-b")))
        #expect(
            cache.apply(.upserted(Self.pod("run-a-main", run: "run-a"))) == [ObjectKey(namespace: "ns", name: "run-a")])
        #expect(cache.observation(for: ObjectKey(namespace: "ns", name: "run-a"))?.pods.count == 1)
        #expect(cache.observation(for: ObjectKey(namespace: "ns", name: "run-b"))?.pods.isEmpty == true)
        #expect(
            cache.apply(.deleted(Self.pod("run-a-main", run: "run-a"))) == [ObjectKey(namespace: "ns", name: "run-a")])
        #expect(cache.podCount == 0)
    }

    @Test func aLongOMJobNameIsFoundThroughItsShortenedLabel() {
        let long = String(repeating: "x", count: 90)
        var cache = WatchCache()
        _ = cache.apply(.upserted(Self.omJob(long)))
        #expect(cache.apply(.upserted(Self.pod("p", run: long))) == [ObjectKey(namespace: "ns", name: long)])
    }

    @Test func onlyAReadinessFlipOfTheMainPodsNodeConcernsTheRun() {
        var cache = WatchCache()
        _ = cache.apply(.upserted(Self.omJob("run-a")))
        _ = cache.apply(.upserted(Self.pod("run-a-main", run: "run-a", node: "n1")))
        #expect(cache.apply(.upserted(Self.node("n1", ready: "True"))) == [ObjectKey(namespace: "ns", name: "run-a")])
        #expect(cache.apply(.upserted(Self.node("n1", ready: "True"))).isEmpty, "a heartbeat changes nothing")
        #expect(cache.apply(.upserted(Self.node("n2", ready: "False"))).isEmpty, "another node")
        #expect(
            cache.apply(.upserted(Self.node("n1", ready: "Unknown"))) == [ObjectKey(namespace: "ns", name: "run-a")])
        guard case .notReady? = cache.observation(for: ObjectKey(namespace: "ns", name: "run-a"))?.mainPodNode else {
            Issue.record("the observation carries the node's readiness")
            return
        }
    }

    @Test func aDeletedOMJobHasNoObservation() {
        var cache = WatchCache()
        _ = cache.apply(.upserted(Self.omJob("run-a")))
        #expect(cache.apply(.deleted(Self.omJob("run-a"))) == [ObjectKey(namespace: "ns", name: "run-a")])
        #expect(cache.observation(for: ObjectKey(namespace: "ns", name: "run-a")) == nil)
    }
}
