import Foundation
import Shared
import Testing

@testable import Watcher

@Suite struct CronRunBuilderTests {
    @Test func runCopiesLabelsAnnotationsAndSubstitutesExactPlaceholders() throws {
        let cron = try CronFixtures.cron()
        let run = CronRunBuilder.run(
            of: cron, spec: cron.spec!, slot: epoch("2026-03-10T10:00:00Z"),
            runID: "5f0c8a9e-1b2c-4d3e-8f40-123456789abc")
        #expect(run.metadata.name == "om-cronjob-mysql-pipeline-1773136800")
        #expect(run.metadata.namespace == "openmetadata-pipelines")
        #expect(run.metadata.labels?["app.kubernetes.io/run-id"] == "5f0c8a9e-1b2c-4d3e-8f40-123456789abc")
        #expect(run.metadata.labels?["app.kubernetes.io/pipeline"] == "mysql-pipeline")
        #expect(run.metadata.annotations?["openmetadata.org/owner"] == "data-platform")
        #expect(run.metadata.annotations?[CronRunBuilder.scheduledTimeAnnotation] == "2026-03-10T10:00:00Z")
        #expect(run.metadata.annotations?[CronOwnership.annotation] == "om-cronjob-mysql-pipeline")
        #expect(
            run.metadata.ownerReferences == nil,
            "a run outlives its CronOMJob: the garbage collector must not delete it")
        let main = Dictionary(
            uniqueKeysWithValues: (run.spec?.mainPodSpec?.env ?? []).map { ($0.name, $0.value ?? "") })
        #expect(main["pipelineRunId"] == "5f0c8a9e-1b2c-4d3e-8f40-123456789abc")
        #expect(main["jobName"] == "om-cronjob-mysql-pipeline-1773136800")
        #expect(main["note"] == "run {{ omjob.uid }} of the day")
        #expect(main["config"]?.hasPrefix("source:") == true)
        let exit = Dictionary(
            uniqueKeysWithValues: (run.spec?.exitHandlerSpec?.env ?? []).map { ($0.name, $0.value ?? "") })
        #expect(exit["pipelineRunId"] == "5f0c8a9e-1b2c-4d3e-8f40-123456789abc")
        #expect(exit["jobName"] == "om-cronjob-mysql-pipeline-1773136800")
        #expect(run.spec?.ttlSecondsAfterFinished == 86400)
    }

    @Test(arguments: [
        ("nightly", "nightly-1773136800"),
        ("Nightly.Sync_Job", "nightly-sync-job-1773136800"),
        ("---", "cronomjob-1773136800"),
        (String(repeating: "a", count: 52), String(repeating: "a", count: 52) + "-1773136800"),
    ])
    func names(cron: String, expected: String) {
        #expect(CronRunName.forSlot(cronName: cron, slot: 1_773_136_800) == expected)
    }

    @Test(arguments: [
        String(repeating: "a", count: 53), String(repeating: "pipeline-", count: 28),
        "om-cronjob-" + String(repeating: "x", count: 240),
        "Ümlaut.Ünicode-" + String(repeating: "y", count: 60) + "-",
        String(repeating: "a", count: 42) + "------------b",
    ])
    func longNamesFitAndStayValid(cron: String) {
        let name = CronRunName.forSlot(cronName: cron, slot: 1_773_136_800)
        #expect(name.count <= 63)
        #expect(name.hasSuffix("-1773136800"))
        #expect(name.wholeMatch(of: /[a-z0-9]([-a-z0-9]*[a-z0-9])?/) != nil, "\(name)")
        #expect(name != CronRunName.forSlot(cronName: cron + "z", slot: 1_773_136_800))
    }
}
