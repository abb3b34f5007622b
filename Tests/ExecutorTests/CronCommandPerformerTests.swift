import Foundation
import KubeJSON
import KubeSim
import Testing

@testable import Executor
@testable import Shared

/// CronCommands performed against kubesim over HTTP: the idempotency rules of each payload.
@Suite(.timeLimit(.minutes(3))) struct CronCommandPerformerTests {
    static let crds = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
        .appendingPathComponent("deploy/crds").path
    static let omjobs = GroupResource(group: "pipelines.openmetadata.org", resource: "omjobs")

    /// A run of the CronOMJob with `ownerUID`, named for its slot.
    static func run(cron: String) -> OMJob {
        OMJob(
            metadata: ObjectMeta(
                name: "nightly-1767225600", namespace: "default",
                annotations: [CronOwnership.annotation: cron, CronOwnership.slotAnnotation: "2026-01-01T00:00:00Z"]),
            spec: OMJobSpec(
                mainPodSpec: OMJobPodSpec(
                    image: "openmetadata/ingestion:1.5", command: ["python", "main.py"], serviceAccountName: "ingestion"
                )))
    }

    static func command(_ action: CronCommandAction) -> CronCommand {
        CronCommand(
            id: "c/\(action.type)", key: ObjectKey(namespace: "default", name: "nightly"), cronUID: "cron-a",
            action: action)
    }

    @Test func createIsIdempotentForTheSameRunAndNeverAdoptsAnother() async throws {
        let sim = try await KubeSimServer.start(.init(token: "t", crdDirectory: Self.crds, threads: 1))
        let thread = try LoopThread()
        let client = KubeClient(
            configuration: ClusterConfiguration(server: sim.baseURL, credentials: .token("t")),
            executor: thread.executor,
            retry: RetryPolicy(deadline: .seconds(5)))
        let performer = CronCommandPerformer(client: client)
        let create = Self.command(.createOMJob(CreateOMJob(omJob: Self.run(cron: "nightly"))))
        #expect(await performer.perform(create) == .done)
        let again = await performer.perform(create)
        #expect(again == .alreadyExists, "a repeat after a crash is the same run: \(again)")
        let stranger = Self.command(.createOMJob(CreateOMJob(omJob: Self.run(cron: "other"))))
        guard case .invalid = await performer.perform(stranger) else {
            Issue.record("a run of another CronOMJob was adopted")
            return
        }

        let uid =
            try sim.store.get(Self.omjobs, namespace: "default", name: "nightly-1767225600")[path: ["metadata", "uid"]]?
            .stringValue ?? ""
        let delete = Self.command(.deleteOMJob(DeleteOMJob(name: "nightly-1767225600", uid: uid, reason: "Replace")))
        #expect(await performer.perform(delete) == .done)
        #expect(await performer.perform(delete) == .notFound, "deleting twice is done")

        await client.http.shutdown()
        thread.stopAndWait()
        try await sim.shutdown()
    }
}
