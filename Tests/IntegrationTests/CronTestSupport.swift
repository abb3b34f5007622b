import Foundation
import KubeJSON
import KubeSim

/// CronOMJobs, their runs and a kubelet's part, for the CronOMJob integration tests.
extension OperatorUnderTest {
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
            Self.cronomjobs, namespace: namespace,
            object: [
                "apiVersion": "pipelines.openmetadata.org/v1", "kind": "CronOMJob",
                "metadata": [
                    "name": .string(name), "namespace": .string(namespace),
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
        try sim.store.get(Self.cronomjobs, namespace: namespace, name: name)
    }

    /// The run name the operator gives `cron`'s run of `slot`.
    static func runName(_ cron: String, _ slot: Date) -> String { "\(cron)-\(Int(slot.timeIntervalSince1970))" }

    /// Waits until `condition` holds, failing with the operator's recent log.
    func waitUntil(_ what: String, timeout: Double = 30, _ condition: () throws -> Bool) async throws {
        let held = await becomesTrue(timeout: timeout) { (try? condition()) ?? false }
        if !held { throw IntegrationFailure("\(what) did not happen:\n\(log.suffix(6000))") }
    }

    /// The pod as kubesim's store holds it now.
    func storedPod(_ name: String) -> JSONValue? { try? sim.store.get(.pods, namespace: namespace, name: name) }
}
