import Foundation
import KubeJSON
import KubeSim

/// Real-shaped objects the gc tests put into kubesim, and reads of what the gc did.
extension GCOperatorRun {
    /// Creates an OMJob (optionally controlled by a CronOMJob) and returns its uid.
    @discardableResult
    func createOMJob(_ name: String, ttl: Int? = nil, owner: (name: String, uid: String)? = nil) throws -> String {
        var spec: JSONValue = [
            "mainPodSpec": [
                "image": "openmetadata/ingestion:1.5", "serviceAccountName": "ingestion",
                "command": ["python", "main.py"],
            ],
            "exitHandlerSpec": ["image": "openmetadata/ingestion:1.5", "command": ["python", "exit_handler.py"]],
        ]
        if let ttl { spec["ttlSecondsAfterFinished"] = .int(Int64(ttl)) }
        var metadata: JSONValue = ["name": .string(name), "namespace": .string(Self.namespace)]
        if let owner {
            metadata["ownerReferences"] = [
                [
                    "apiVersion": "pipelines.openmetadata.org/v1", "kind": "CronOMJob", "name": .string(owner.name),
                    "uid": .string(owner.uid), "controller": true, "blockOwnerDeletion": true,
                ]
            ]
        }
        let created = try sim.store.create(
            Self.omjobs, namespace: Self.namespace,
            object: [
                "apiVersion": "pipelines.openmetadata.org/v1", "kind": "OMJob", "metadata": metadata, "spec": spec,
            ])
        return created[path: ["metadata", "uid"]]?.stringValue ?? ""
    }

    /// Writes a run's status as the watcher would once it ended.
    func recordEnded(omJob name: String, phase: String, completedAt: Date) throws {
        let status: JSONValue = [
            "phase": .string(phase), "startTime": .string(Self.time(completedAt.addingTimeInterval(-60))),
            "completionTime": .string(Self.time(completedAt)), "mainPodName": .string("\(name)-main"),
        ]
        _ = try sim.store.patch(
            Self.omjobs, namespace: Self.namespace, name: name, type: .merge, patch: ["status": status],
            subresource: .status)
    }

    /// Creates a run's pod (`main` or `exit-handler`) owned by the OMJob, in `phase`.
    func createPod(of omJob: String, uid: String, type: String, phase: String) throws {
        let name = "\(omJob)-\(type == "main" ? "main" : "exit")"
        let labels: JSONValue = [
            "omjob.pipelines.openmetadata.org/name": .string(omJob),
            "omjob.pipelines.openmetadata.org/pod-type": .string(type),
            "app.kubernetes.io/managed-by": "openmetadata",
        ]
        let pod: JSONValue = [
            "apiVersion": "v1", "kind": "Pod",
            "metadata": [
                "name": .string(name), "namespace": .string(Self.namespace), "labels": labels,
                "ownerReferences": [
                    [
                        "apiVersion": "pipelines.openmetadata.org/v1", "kind": "OMJob", "name": .string(omJob),
                        "uid": .string(uid), "controller": true,
                    ]
                ],
            ],
            "spec": [
                "restartPolicy": "Never", "nodeName": "node-1",
                "containers": [["name": "main", "image": "openmetadata/ingestion:1.5"]],
            ],
        ]
        _ = try sim.store.create(.pods, namespace: Self.namespace, object: pod)
        try setPhase(pod: name, phase)
    }

    func setPhase(pod name: String, _ phase: String) throws {
        _ = try sim.store.patch(
            .pods, namespace: Self.namespace, name: name, type: .merge, patch: ["status": ["phase": .string(phase)]],
            subresource: .status)
    }

    /// Creates a CronOMJob with the given history limits; returns its uid.
    func createCron(_ name: String, successful: Int, failed: Int) throws -> String {
        let spec: JSONValue = [
            "schedule": "0 0 1 1 *", "successfulJobsHistoryLimit": .int(Int64(successful)),
            "failedJobsHistoryLimit": .int(Int64(failed)),
            "omJobSpec": [
                "mainPodSpec": [
                    "image": "openmetadata/ingestion:1.5", "serviceAccountName": "ingestion",
                    "command": ["python", "main.py"],
                ]
            ],
        ]
        let created = try sim.store.create(
            Self.cronomjobs, namespace: Self.namespace,
            object: [
                "apiVersion": "pipelines.openmetadata.org/v1", "kind": "CronOMJob",
                "metadata": ["name": .string(name), "namespace": .string(Self.namespace)], "spec": spec,
            ])
        return created[path: ["metadata", "uid"]]?.stringValue ?? ""
    }

    /// Names of the pods that still exist (not counting ones being deleted) for an OMJob.
    func podNames(of omJob: String) throws -> [String] {
        let list = try sim.store.list(
            .pods, namespace: Self.namespace,
            options: .init(labelSelector: "omjob.pipelines.openmetadata.org/name=\(omJob)"))
        return list.items.map { $0[path: ["metadata", "name"]]?.stringValue ?? "" }.sorted()
    }

    func omJobNames() throws -> [String] {
        try sim.store.list(Self.omjobs, namespace: Self.namespace).items.map {
            $0[path: ["metadata", "name"]]?.stringValue ?? ""
        }.sorted()
    }

    func omJob(_ name: String) throws -> JSONValue {
        try sim.store.get(Self.omjobs, namespace: Self.namespace, name: name)
    }

    /// Events with `reason` about the object called `name`.
    func events(reason: String, about name: String) throws -> [JSONValue] {
        try sim.store.list(.events, namespace: Self.namespace).items.filter {
            $0["reason"]?.stringValue == reason && $0[path: ["involvedObject", "name"]]?.stringValue == name
        }
    }

    /// Waits until the gc has swept with its clock at or after `instant` (its last-sweep gauge).
    func waitForSweep(atOrAfter instant: Date) async throws {
        let swept = await gcEventually {
            ((try? await self.metrics())?["omjob_gc_last_sweep_timestamp_seconds"] ?? 0)
                >= instant.timeIntervalSince1970.rounded(.down)
        }
        if !swept { throw GCTestFailure("the gc never swept at \(instant):\n\(logs.suffix(4000))") }
    }

    static func time(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}
