import Foundation
import KubeJSON
import KubeSim
import Testing

/// The CronOMJob controller wired into the real watcher: a slot's run is created, owned by the
/// schedule, and runs to its exit handler like any other.
@Suite(.timeLimit(.minutes(3))) struct CronOMJobTests {
    static let cronomjobs = GroupResource(group: "pipelines.openmetadata.org", resource: "cronomjobs")

    @Test func aScheduledRunIsCreatedAndCompletes() async throws {
        try await OperatorUnderTest.run { op in
            let spec = OperatorUnderTest.omJob("unused")["spec"] ?? .null
            let cron: JSONValue = [
                "apiVersion": "pipelines.openmetadata.org/v1", "kind": "CronOMJob",
                "metadata": ["name": "nightly", "namespace": .string(OperatorUnderTest.namespace)],
                "spec": ["schedule": "* * * * *", "omJobSpec": spec],
            ]
            _ = try op.sim.store.create(Self.cronomjobs, namespace: OperatorUnderTest.namespace, object: cron)
            // The first slot is the next minute boundary: up to a minute away.
            let run = try await eventually("a run of nightly", timeout: 90) { () -> String? in
                let items =
                    (try? op.sim.store.list(OperatorUnderTest.omjobs, namespace: OperatorUnderTest.namespace).items)
                    ?? []
                return items.first {
                    $0["metadata"]?["annotations"]?["omjob.pipelines.openmetadata.org/cronomjob"]?.stringValue
                        == "nightly"
                }?["metadata"]?["name"]?.stringValue
            }
            #expect(run.hasPrefix("nightly-"))
            let main = try await eventually("main pod of \(run)") {
                op.pods(ofRun: run, type: "main").first?["metadata"]?["name"]?.stringValue
            }
            try op.setRunning(main)
            try op.terminate(main, exitCode: 0, reason: "Completed")
            let exit = try await eventually("exit pod of \(run)") {
                op.pods(ofRun: run, type: "exit-handler").first?["metadata"]?["name"]?.stringValue
            }
            try op.finishExitHandler(exit)
            try await op.waitForPhase(run, "Succeeded")
            _ = try await eventually("nightly records its successful run") { () -> Bool? in
                let status = try? op.sim.store.get(
                    Self.cronomjobs, namespace: OperatorUnderTest.namespace, name: "nightly")["status"]
                return status?["lastSuccessfulTime"] != nil ? true : nil
            }
        }
    }
}
