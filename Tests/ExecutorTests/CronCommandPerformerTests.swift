import Foundation
import KubeJSON
import KubeSim
import Testing
@testable import Executor
@testable import Shared

/// CronCommands performed against kubesim over HTTP: the idempotency rules of each payload.
@Suite(.timeLimit(.minutes(3))) struct CronCommandPerformerTests {
    static let crds = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("deploy/crds").path
    static let omjobs = GroupResource(group: "pipelines.openmetadata.org", resource: "omjobs")

    /// A run of the CronOMJob with `ownerUID`, named for its slot.
    static func run(ownerUID: String) -> OMJob {
        var run = OMJob(metadata: ObjectMeta(name: "nightly-1767225600", namespace: "default"),
                        spec: OMJobSpec(mainPodSpec: OMJobPodSpec(image: "openmetadata/ingestion:1.5", command: ["python", "main.py"], serviceAccountName: "ingestion")))
        run.metadata.ownerReferences = [OwnerReference(apiVersion: "pipelines.openmetadata.org/v1", kind: "CronOMJob", name: "nightly", uid: ownerUID, controller: true)]
        return run
    }

    static func createCron(_ sim: KubeSimServer, _ name: String) throws -> String {
        let spec: JSONValue = ["schedule": "0 0 * * *", "omJobSpec": ["mainPodSpec": ["image": "i", "serviceAccountName": "s", "command": ["c"]]]]
        let made = try sim.store.create(GroupResource(group: "pipelines.openmetadata.org", resource: "cronomjobs"), namespace: "default", object: [
            "apiVersion": "pipelines.openmetadata.org/v1", "kind": "CronOMJob", "metadata": ["name": .string(name), "namespace": "default"], "spec": spec])
        return made[path: ["metadata", "uid"]]?.stringValue ?? ""
    }

    static func command(_ action: CronCommandAction) -> CronCommand {
        CronCommand(id: "c/\(action.type)", key: ObjectKey(namespace: "default", name: "nightly"), cronUID: "cron-a", action: action)
    }

    @Test func createIsIdempotentForTheSameRunAndNeverAdoptsAnother() async throws {
        let sim = try await KubeSimServer.start(.init(token: "t", crdDirectory: Self.crds, threads: 1))
        let thread = try LoopThread()
        let client = KubeClient(configuration: ClusterConfiguration(server: sim.baseURL, credentials: .token("t")), executor: thread.executor,
                                retry: RetryPolicy(deadline: .seconds(5)))
        let performer = CronCommandPerformer(client: client)
        // Real owners: the API server's garbage collector removes a run whose owner does not exist.
        let owner = try Self.createCron(sim, "nightly"), other = try Self.createCron(sim, "other")
        let create = Self.command(.createOMJob(CreateOMJob(omJob: Self.run(ownerUID: owner))))
        #expect(await performer.perform(create) == .done)
        let again = await performer.perform(create)
        #expect(again == .alreadyExists, "a repeat after a crash is the same run: \(again)")
        let stranger = Self.command(.createOMJob(CreateOMJob(omJob: Self.run(ownerUID: other))))
        guard case .invalid = await performer.perform(stranger) else { Issue.record("a run of another CronOMJob was adopted"); return }

        let uid = try sim.store.get(Self.omjobs, namespace: "default", name: "nightly-1767225600")[path: ["metadata", "uid"]]?.stringValue ?? ""
        let delete = Self.command(.deleteOMJob(DeleteOMJob(name: "nightly-1767225600", uid: uid, reason: "Replace")))
        #expect(await performer.perform(delete) == .done)
        #expect(await performer.perform(delete) == .notFound, "deleting twice is done")

        await client.http.shutdown()
        thread.stopAndWait()
        try await sim.shutdown()
    }
}
