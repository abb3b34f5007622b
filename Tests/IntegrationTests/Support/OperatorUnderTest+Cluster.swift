import Foundation
import KubeJSON
import KubeSim

/// Reading and writing the cluster as OpenMetadata and the kubelet would.
extension OperatorUnderTest {
    static let podType = "omjob.pipelines.openmetadata.org/pod-type"
    static let nameLabel = "omjob.pipelines.openmetadata.org/name"

    /// An OMJob shaped as OpenMetadata's server builds it (labels, env, no pull secrets on the exit spec).
    /// `specExtra` adds spec fields, e.g. a short `mainPodStartDeadlineSeconds` for the one test that needs it.
    static func omJob(
        _ name: String, exitHandler: Bool = true, runID: String? = nil, specExtra: [String: JSONValue] = [:]
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

    @discardableResult
    func create(_ omJob: JSONValue) throws -> JSONValue {
        try sim.store.create(Self.omjobs, namespace: Self.namespace, object: omJob)
    }

    func omJob(_ name: String) -> JSONValue? { try? sim.store.get(Self.omjobs, namespace: Self.namespace, name: name) }
    func pod(_ name: String) -> JSONValue? { try? sim.store.get(.pods, namespace: Self.namespace, name: name) }

    /// The run's pods of one type, oldest attempt first.
    func pods(of omJob: String, type: String) -> [JSONValue] {
        let selector = "\(Self.nameLabel)=\(omJob),\(Self.podType)=\(type)"
        let items =
            (try? sim.store.list(.pods, namespace: Self.namespace, options: .init(labelSelector: selector)).items) ?? []
        return items.sorted {
            ($0["metadata"]?["name"]?.stringValue ?? "") < ($1["metadata"]?["name"]?.stringValue ?? "")
        }
    }

    func phase(_ name: String) -> String? { omJob(name)?["status"]?["phase"]?.stringValue }

    /// Waits for the OMJob to reach `phase`.
    func waitForPhase(_ name: String, _ phase: String, timeout: Double = 60) async throws {
        _ = try await eventually("\(name) phase \(phase) (now \(self.phase(name) ?? "none"))", timeout: timeout) {
            self.phase(name) == phase ? true : nil
        }
    }

    /// Waits for the pod to exist and returns it.
    func waitForPod(_ name: String) async throws -> JSONValue {
        try await eventually("pod \(name)") { self.pod(name) }
    }

    /// Waits for exit-handler attempt `count` (1-based) and returns its name.
    func waitForExitPod(of omJob: String, count: Int = 1, timeout: Double = 60) async throws -> String {
        try await eventually("\(count) exit pod(s) of \(omJob)", timeout: timeout) {
            let pods = self.pods(of: omJob, type: "exit-handler")
            return pods.count >= count ? pods[count - 1]["metadata"]?["name"]?.stringValue : nil
        }
    }

    // MARK: the kubelet's writes (pods/status)

    func setRunning(_ pod: String) throws {
        try writeStatus(
            pod,
            [
                "phase": "Running", "startTime": .string(Self.now()),
                "containerStatuses": [
                    [
                        "name": "main", "ready": true, "restartCount": 0, "image": "x", "imageID": "",
                        "containerID": "containerd://1",
                        "state": ["running": ["startedAt": .string(Self.now())]],
                    ]
                ],
            ])
    }

    /// The container ended: phase from the exit code, `reason` (Completed, Error, OOMKilled), optional signal.
    func terminate(_ pod: String, exitCode: Int, reason: String, signal: Int? = nil) throws {
        var terminated: JSONValue = [
            "exitCode": .int(Int64(exitCode)), "reason": .string(reason),
            "startedAt": .string(Self.now()), "finishedAt": .string(Self.now()), "containerID": "containerd://1",
        ]
        if let signal { terminated["signal"] = .int(Int64(signal)) }
        try writeStatus(
            pod,
            [
                "phase": exitCode == 0 ? "Succeeded" : "Failed",
                "containerStatuses": [
                    [
                        "name": "main", "ready": false, "restartCount": 0, "image": "x", "imageID": "",
                        "containerID": "containerd://1",
                        "state": ["terminated": terminated],
                    ]
                ],
            ])
    }

    /// The pod failed as a whole (eviction): `status.reason`, a DisruptionTarget condition.
    func evict(_ pod: String) throws {
        try writeStatus(
            pod,
            [
                "phase": "Failed", "reason": "Evicted", "message": "The node was low on resource: memory.",
                "conditions": [
                    [
                        "type": "DisruptionTarget", "status": "True", "reason": "TerminationByKubelet",
                        "lastTransitionTime": .string(Self.now()),
                    ]
                ],
            ])
    }

    /// The container cannot start: waiting with `reason` (ImagePullBackOff…).
    func waiting(_ pod: String, reason: String) throws {
        try writeStatus(
            pod,
            [
                "phase": "Pending",
                "containerStatuses": [
                    [
                        "name": "main", "ready": false, "restartCount": 0, "image": "x", "imageID": "",
                        "state": ["waiting": ["reason": .string(reason), "message": "Back-off pulling image"]],
                    ]
                ],
            ])
    }

    func writeStatus(_ pod: String, _ status: JSONValue) throws {
        try sim.store.patch(
            .pods, namespace: Self.namespace, name: pod, type: .merge, patch: ["status": status], subresource: .status)
    }

    static func now() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date())
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
        let events = (try? sim.store.list(.events, namespace: Self.namespace).items) ?? []
        return events.filter {
            $0["type"]?.stringValue == "Warning" && $0["involvedObject"]?["name"]?.stringValue == name
        }
    }

    /// Pods of a run found by owner name (the name label is shortened for long names).
    func pods(ofRun name: String, type: String) -> [JSONValue] {
        let items =
            (try? sim.store.list(
                .pods, namespace: Self.namespace, options: .init(labelSelector: "\(Self.podType)=\(type)")
            ).items) ?? []
        return items.filter { $0["metadata"]?["ownerReferences"]?.arrayValue?.first?["name"]?.stringValue == name }
    }
}
