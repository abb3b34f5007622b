import Foundation
import KubeJSON
import KubeSim

/// The labels the operator puts on a run's pods, and OpenMetadata's OMJob.
extension OperatorUnderTest {
    static let podType = "omjob.pipelines.openmetadata.org/pod-type"
    static let nameLabel = "omjob.pipelines.openmetadata.org/name"
    static let omjobs = GroupResource(group: "pipelines.openmetadata.org", resource: "omjobs")
    static let cronomjobs = GroupResource(group: "pipelines.openmetadata.org", resource: "cronomjobs")

    /// An OMJob shaped as OpenMetadata's server builds it (labels, env, no pull secrets on the exit spec).
    /// `specExtra` adds spec fields, e.g. a short `mainPodStartDeadlineSeconds` for the one test that needs it.
    static func omJob(
        _ name: String, namespace: String = SimulatedCluster.defaultNamespace, exitHandler: Bool = true,
        runID: String? = nil, specExtra: [String: JSONValue] = [:]
    ) -> JSONValue {
        let runID = runID ?? "run-\(name)"
        let labels: JSONValue = [
            "app.kubernetes.io/managed-by": "openmetadata", "app.kubernetes.io/pipeline": "mysql-pipeline",
            "app.kubernetes.io/run-id": .string(runID),
        ]
        var spec: JSONValue = [
            "mainPodSpec": [
                "image": "openmetadata/ingestion-base:1.5.0", "serviceAccountName": "ingestion",
                "command": ["python", "main.py"],
                "imagePullSecrets": [["name": "regcred"]],
                "env": [
                    ["name": "pipelineRunId", "value": .string(runID)], ["name": "jobName", "value": .string(name)],
                ],
                "labels": labels,
            ]
        ]
        if exitHandler {
            spec["exitHandlerSpec"] = [
                "image": "openmetadata/ingestion-base:1.5.0", "serviceAccountName": "ingestion",
                "command": ["python", "exit_handler.py"], "env": [["name": "pipelineRunId", "value": .string(runID)]],
            ]
        }
        for (key, value) in specExtra { spec[key] = value }
        return [
            "apiVersion": "pipelines.openmetadata.org/v1", "kind": "OMJob",
            "metadata": ["name": .string(name), "namespace": .string(namespace), "labels": labels], "spec": spec,
        ]
    }
}

/// kubesim's store, for tests that set up what only the store can (nodes, objects in a given
/// state) or read it without a request. These tests run on kubesim only.
extension OperatorUnderTest {
    /// The in-process kubesim (the test runs on `.kubesim`).
    var sim: KubeSimServer {
        guard let simulated = cluster as? SimulatedCluster else {
            preconditionFailure("\(cluster.serverName): this test reads kubesim's store and runs on kubesim only")
        }
        return simulated.sim
    }
}

/// Nodes, as the node controller reports them.
extension OperatorUnderTest {
    func createNode(_ name: String, ready: String) throws {
        _ = try sim.store.create(
            .nodes, namespace: nil, object: ["apiVersion": "v1", "kind": "Node", "metadata": ["name": .string(name)]])
        try setNodeReady(name, ready)
    }

    /// Sets the Ready condition; the transition is dated a minute ago so a threshold of seconds has passed.
    func setNodeReady(_ name: String, _ status: String) throws {
        let since = ISO8601DateFormatter().string(from: Date().addingTimeInterval(-60))
        try sim.store.patch(
            .nodes, namespace: nil, name: name, type: .merge,
            patch: [
                "status": [
                    "conditions": [
                        [
                            "type": "Ready", "status": .string(status), "reason": "NodeStatusUnknown",
                            "lastHeartbeatTime": .string(since),
                            "lastTransitionTime": .string(since),
                        ]
                    ]
                ]
            ], subresource: .status)
    }
}

/// Events and long names.
extension OperatorUnderTest {
    /// Warning events whose involved object is the OMJob `name`.
    func warningEvents(for name: String) -> [JSONValue] {
        let events = (try? sim.store.list(.events, namespace: namespace).items) ?? []
        return events.filter {
            $0["type"]?.stringValue == "Warning" && $0["involvedObject"]?["name"]?.stringValue == name
        }
    }

    /// Pods of a run found by owner name (the name label is shortened for long names).
    func pods(ofRun name: String, type: String) -> [JSONValue] {
        let items =
            (try? sim.store.list(
                .pods, namespace: namespace, options: .init(labelSelector: "\(Self.podType)=\(type)")
            ).items) ?? []
        return items.filter { $0["metadata"]?["ownerReferences"]?.arrayValue?.first?["name"]?.stringValue == name }
    }
}
