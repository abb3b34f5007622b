import Foundation
import Shared
import Testing

@testable import GC

@Suite struct HistoryLimitsTests {
    static let cronUID = "7d1f0c3e-1111-4a2b-9c3d-4e5f6a7b8c9d"

    static func cron(successful: Int?, failed: Int?) -> CronOMJob {
        var spec = CronOMJobSpec(schedule: "0 * * * *", omJobSpec: GCFixtures.omJob().spec!)
        spec.successfulJobsHistoryLimit = successful
        spec.failedJobsHistoryLimit = failed
        var metadata = ObjectMeta(name: "om-cronjob-mysql-pipeline", namespace: "openmetadata-pipelines")
        metadata.uid = cronUID
        return CronOMJob(metadata: metadata, spec: spec)
    }

    /// Run `hour` (0–23) of 2026-03-10, ended in `phase` at the end of that hour.
    static func run(_ hour: Int, _ phase: OMJobPhase?, owner: String = cronUID, deleting: Bool = false) -> OMJob {
        var run = GCFixtures.omJob()
        let slot = 1_773_100_800 + hour * 3600
        run.metadata.name = "om-cronjob-mysql-pipeline-\(slot)"
        run.metadata.uid = "run-\(hour)"
        run.metadata.ownerReferences = [
            OwnerReference(
                apiVersion: "pipelines.openmetadata.org/v1", kind: "CronOMJob", name: "om-cronjob-mysql-pipeline",
                uid: owner, controller: true, blockOwnerDeletion: true)
        ]
        run.status?.phase = phase
        run.status?.completionTime =
            phase?.isFinished == true ? "2026-03-10T\(hour < 10 ? "0" : "")\(hour):59:00Z" : nil
        if deleting { run.metadata.deletionTimestamp = "2026-03-10T23:00:00Z" }
        return run
    }

    /// A run described by its hour, so the table stays small (OMJob values are big, and a
    /// debug build puts a whole array literal of them on the test thread's stack).
    struct RunSpec: Sendable {
        var hour: Int
        var phase: OMJobPhase?
        var owner = HistoryLimitsTests.cronUID
        var deleting = false
        init(_ hour: Int, _ phase: OMJobPhase?, owner: String = HistoryLimitsTests.cronUID, deleting: Bool = false) {
            self.hour = hour
            self.phase = phase
            self.owner = owner
            self.deleting = deleting
        }
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var successful: Int?
        var failed: Int?
        var runs: [RunSpec]
        var deleted: [String]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "keeps the 3 newest of each, oldest deleted first", successful: 3, failed: 3,
            runs: [
                RunSpec(0, .succeeded), RunSpec(1, .failed), RunSpec(2, .succeeded), RunSpec(3, .succeeded),
                RunSpec(4, .failed), RunSpec(5, .succeeded),
                RunSpec(6, .failed), RunSpec(7, .failed), RunSpec(8, .succeeded), RunSpec(9, .running),
                RunSpec(10, .exitHandlerRunning), RunSpec(11, .pending),
            ],
            deleted: ["run-0", "run-2", "run-1"]),
        Case(
            name: "unset limits default to 3", successful: nil, failed: nil,
            runs: (0..<5).map { RunSpec($0, .succeeded) }, deleted: ["run-0", "run-1"]),
        Case(
            name: "limit 0 deletes every finished run, never a running one", successful: 0, failed: 0,
            runs: [RunSpec(0, .succeeded), RunSpec(1, .failed), RunSpec(2, .running), RunSpec(3, nil)],
            deleted: ["run-0", "run-1"]),
        Case(
            name: "runs already being deleted are neither kept nor asked again", successful: 3, failed: 3,
            runs: [
                RunSpec(0, .succeeded, deleting: true), RunSpec(1, .succeeded), RunSpec(2, .succeeded),
                RunSpec(3, .succeeded),
            ], deleted: []),
        Case(
            name: "runs of another owner are not ours to delete", successful: 1, failed: 1,
            runs: [
                RunSpec(0, .succeeded, owner: "other"), RunSpec(1, .succeeded, owner: "other"), RunSpec(2, .succeeded),
            ], deleted: []),
        Case(
            name: "within the limits: nothing", successful: 3, failed: 3,
            runs: [RunSpec(0, .succeeded), RunSpec(1, .failed), RunSpec(2, .succeeded)], deleted: []),
    ]

    @Test(arguments: cases)
    func decides(_ c: Case) {
        let runs = c.runs.map { Self.run($0.hour, $0.phase, owner: $0.owner, deleting: $0.deleting) }
        let commands = HistoryLimits.decide(
            cron: Self.cron(successful: c.successful, failed: c.failed), runs: runs, settings: GCSettings())
        let deleted = commands.compactMap { if case .deleteOMJob(let p) = $0.action { p.uid } else { nil } }
        #expect(deleted == c.deleted)
        #expect(
            commands.allSatisfy {
                if case .deleteOMJob(let p) = $0.action { p.reason == "HistoryLimit" } else { false }
            })
    }

    /// Applying the deletions and deciding again converges on exactly N kept per kind.
    @Test(arguments: [(0, 0), (1, 2), (3, 3), (5, 1)])
    func keepsExactlyN(successful: Int, failed: Int) {
        var runs = (0..<20).map { Self.run($0, $0 % 3 == 0 ? .failed : .succeeded) }
        let cron = Self.cron(successful: successful, failed: failed)
        for _ in 0..<2 {
            for command in HistoryLimits.decide(cron: cron, runs: runs, settings: GCSettings()) {
                guard case .deleteOMJob(let p) = command.action else { continue }
                runs.removeAll { $0.metadata.uid == p.uid }
            }
        }
        #expect(runs.filter { $0.status?.phase == .succeeded }.count == successful)
        #expect(runs.filter { $0.status?.phase == .failed }.count == failed)
        #expect(HistoryLimits.decide(cron: cron, runs: runs, settings: GCSettings()).isEmpty)
        // The kept ones are the newest.
        let keptSucceeded = runs.filter { $0.status?.phase == .succeeded }.compactMap(\.metadata.uid)
        let allSucceeded = (0..<20).filter { $0 % 3 != 0 }.map { "run-\($0)" }
        #expect(Set(keptSucceeded) == Set(allSucceeded.suffix(successful)))
    }
}
