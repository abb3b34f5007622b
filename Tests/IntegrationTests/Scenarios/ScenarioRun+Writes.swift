import Foundation
import KubeJSON

/// The writes of the parties around the operator: OpenMetadata creates and deletes OMJobs,
/// the scheduler binds, the kubelet reports through `pods/status` (the same JSON on both
/// servers), a user deletes pods.
extension ScenarioRun {
    /// An OMJob shaped as OpenMetadata's server builds it, in this cluster's namespace.
    func omJobObject(_ name: String, exitHandler: Bool = true, specExtra: [String: JSONValue] = [:]) -> JSONValue {
        var object = OperatorUnderTest.omJob(name, exitHandler: exitHandler, specExtra: specExtra)
        object["metadata"]?["namespace"] = .string(cluster.namespace)
        return object
    }

    func createOMJob(_ name: String, exitHandler: Bool = true, specExtra: [String: JSONValue] = [:]) async throws {
        _ = try await cluster.create(.omjobs, omJobObject(name, exitHandler: exitHandler, specExtra: specExtra))
    }

    func deleteOMJob(_ name: String) async throws { try await cluster.delete(.omjobs, name, gracePeriodSeconds: nil) }

    func deletePod(_ name: String, gracePeriodSeconds: Int? = nil) async throws {
        try await cluster.delete(.pods, name, gracePeriodSeconds: gracePeriodSeconds)
    }

    func setRunning(_ pod: String) async throws {
        let now = ScenarioClock.timestamp()
        try await cluster.patchStatus(
            .pods, pod,
            [
                "phase": "Running", "startTime": .string(now),
                "containerStatuses": [
                    [
                        "name": "main", "ready": true, "restartCount": 0, "image": "x", "imageID": "",
                        "containerID": "containerd://1",
                        "state": ["running": ["startedAt": .string(now)]],
                    ]
                ],
            ])
    }

    /// The container ended: phase from the exit code, `reason` (Completed, Error, OOMKilled), optional signal.
    func terminate(_ pod: String, exitCode: Int, reason: String, signal: Int? = nil) async throws {
        let now = ScenarioClock.timestamp()
        var terminated: JSONValue = [
            "exitCode": .int(Int64(exitCode)), "reason": .string(reason),
            "startedAt": .string(now), "finishedAt": .string(now), "containerID": "containerd://1",
        ]
        if let signal { terminated["signal"] = .int(Int64(signal)) }
        try await cluster.patchStatus(
            .pods, pod,
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

    /// An eviction as a v1.20 kubelet reports it: the pod failed as a whole with
    /// `status.reason` Evicted and no DisruptionTarget condition (v1.26+ only).
    func evictAsV120(_ pod: String) async throws {
        try await cluster.patchStatus(
            .pods, pod,
            [
                "phase": "Failed", "reason": "Evicted",
                "message": "The node was low on resource: memory.",
            ])
    }

    /// The container cannot start: waiting with `reason` (ImagePullBackOff…).
    func waiting(_ pod: String, reason: String) async throws {
        try await cluster.patchStatus(
            .pods, pod,
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

    /// Runs an exit-handler pod to a successful end.
    func finishExitHandler(_ pod: String) async throws {
        try await setRunning(pod)
        try await terminate(pod, exitCode: 0, reason: "Completed")
    }

    /// Waits until the operator's finalizer guards the main pod (no ending can be missed from
    /// then on), binds it to the node and reports it running.
    func guardedRunningMainPod(_ name: String) async throws {
        _ = try await until("finalizer on \(name)-main") {
            try await self.pod("\(name)-main")?["metadata"]?["finalizers"]?.arrayValue?.isEmpty == false ? true : nil
        }
        try await cluster.bind(pod: "\(name)-main")
        try await setRunning("\(name)-main")
        try await waitForPhase(name, "Running")
    }
}
