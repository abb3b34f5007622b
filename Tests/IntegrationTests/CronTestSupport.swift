import Foundation
import KubeJSON
import KubeSim

/// CronOMJobs, their runs and a kubelet's part, for the CronOMJob integration tests.
extension GCOperatorRun {
    /// The first whole minute at least two minutes ahead: a slot no earlier decision can have seen.
    static func nextSlot() -> Date {
        let ahead = Date().timeIntervalSince1970 + 120
        return Date(timeIntervalSince1970: (ahead / 60).rounded(.up) * 60)
    }

    /// Daily at `slot`'s UTC hour and minute: between its creation and `slot` there is no other slot.
    static func dailySchedule(at slot: Date) -> String {
        let parts = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: slot)
        return "\(parts.minute ?? 0) \(parts.hour ?? 0) * * *"
    }

    /// Creates a CronOMJob as OpenMetadata would (plus `concurrencyPolicy`); returns its uid.
    @discardableResult
    func createCron(_ name: String, schedule: String, policy: String) throws -> String {
        let pod: JSONValue = [
            "image": "openmetadata/ingestion:1.5", "serviceAccountName": "ingestion", "command": ["python", "main.py"],
            "env": [["name": "pipelineRunId", "value": "{{ omjob.uid }}"]],
        ]
        let exit: JSONValue = ["image": "openmetadata/ingestion:1.5", "command": ["python", "exit_handler.py"]]
        let created = try sim.store.create(
            Self.cronomjobs, namespace: Self.namespace,
            object: [
                "apiVersion": "pipelines.openmetadata.org/v1", "kind": "CronOMJob",
                "metadata": [
                    "name": .string(name), "namespace": .string(Self.namespace),
                    "labels": ["app.kubernetes.io/pipeline": "mysql"],
                ],
                "spec": [
                    "schedule": .string(schedule), "concurrencyPolicy": .string(policy),
                    "omJobSpec": ["mainPodSpec": pod, "exitHandlerSpec": exit],
                ],
            ])
        return created[path: ["metadata", "uid"]]?.stringValue ?? ""
    }

    func cron(_ name: String) throws -> JSONValue {
        try sim.store.get(Self.cronomjobs, namespace: Self.namespace, name: name)
    }

    /// The run name the operator gives `cron`'s run of `slot`.
    static func runName(_ cron: String, _ slot: Date) -> String { "\(cron)-\(Int(slot.timeIntervalSince1970))" }

    /// Waits until `condition` holds, failing with the operator's recent logs.
    func waitUntil(_ what: String, timeout: Double = 30, _ condition: () throws -> Bool) async throws {
        let held = await gcEventually(timeout: timeout) { (try? condition()) ?? false }
        if !held { throw GCTestFailure("\(what) did not happen:\n\(logs.suffix(6000))") }
    }

    func pod(_ name: String) -> JSONValue? { try? sim.store.get(.pods, namespace: Self.namespace, name: name) }

    /// The kubelet started the pod's container.
    func setRunning(_ pod: String) throws {
        try writePodStatus(
            pod,
            [
                "phase": "Running",
                "containerStatuses": [
                    [
                        "name": "main", "ready": true, "restartCount": 0, "image": "x", "imageID": "",
                        "state": ["running": ["startedAt": .string(Self.time(clock.now()))]],
                    ]
                ],
            ])
    }

    /// The kubelet saw the container end with `exitCode`.
    func terminate(_ pod: String, exitCode: Int, signal: Int? = nil) throws {
        var terminated: JSONValue = [
            "exitCode": .int(Int64(exitCode)), "reason": .string(exitCode == 0 ? "Completed" : "Error"),
            "startedAt": .string(Self.time(clock.now())), "finishedAt": .string(Self.time(clock.now())),
        ]
        if let signal { terminated["signal"] = .int(Int64(signal)) }
        try writePodStatus(
            pod,
            [
                "phase": exitCode == 0 ? "Succeeded" : "Failed",
                "containerStatuses": [
                    [
                        "name": "main", "ready": false, "restartCount": 0, "image": "x", "imageID": "",
                        "state": ["terminated": terminated],
                    ]
                ],
            ])
    }

    /// The exit-handler pod of `run`, once the operator created it.
    func waitForExitPod(of run: String) async throws -> String {
        var name: String?
        try await waitUntil("exit pod of \(run)") {
            let list = try sim.store.list(
                .pods, namespace: Self.namespace,
                options: .init(
                    labelSelector:
                        "omjob.pipelines.openmetadata.org/name=\(run),omjob.pipelines.openmetadata.org/pod-type=exit-handler"
                ))
            name = list.items.first?[path: ["metadata", "name"]]?.stringValue
            return name != nil
        }
        return name ?? ""
    }

    private func writePodStatus(_ pod: String, _ status: JSONValue) throws {
        _ = try sim.store.patch(
            .pods, namespace: Self.namespace, name: pod, type: .merge, patch: ["status": status], subresource: .status)
    }
}
