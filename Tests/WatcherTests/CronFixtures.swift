import Foundation
import Shared

@testable import Watcher

/// Loads the CronOMJob fixture and builds its runs in the shapes the API server would hold.
enum CronFixtures {
    private struct File: Decodable { var cronomjob: CronOMJob }

    static func cron() throws -> CronOMJob {
        guard
            let url = Bundle.module.url(
                forResource: "cronomjob-openmetadata", withExtension: "json", subdirectory: "Fixtures/cron")
        else {
            throw CocoaError(.fileNoSuchFile)
        }
        return try JSONDecoder().decode(File.self, from: Data(contentsOf: url)).cronomjob
    }

    /// A run of `cron` for `slot`, as created by the scheduler and later updated by the decision engine.
    static func run(
        of cron: CronOMJob, slot: String, phase: OMJobPhase?, completed: String? = nil, deleting: Bool = false
    ) -> OMJob {
        var run = CronRunBuilder.run(of: cron, spec: cron.spec!, slot: epoch(slot), runID: "run-\(slot)")
        run.metadata.uid = "uid-\(run.metadata.name!)"
        run.metadata.creationTimestamp = slot
        if deleting { run.metadata.deletionTimestamp = completed ?? slot }
        var status = OMJobStatus(phase: phase)
        status.completionTime = completed
        run.status = status
        return run
    }

    static func runName(_ slot: String) -> String { "om-cronjob-mysql-pipeline-\(epoch(slot))" }
}
