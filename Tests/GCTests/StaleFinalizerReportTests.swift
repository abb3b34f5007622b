import Foundation
import Models
import Testing

@testable import GC

@Suite struct StaleFinalizerReportTests {
    static let now = GCFixtures.date("2026-03-10T14:00:00Z")

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var omJobDeletedAt: String?
        var omJobPhase: OMJobPhase = .succeeded
        var completion = "2026-03-10T10:00:00Z"
        var podFinalizers: [String] = []
        var podDeletedAt: String?
        var expected: [String]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "a finished run with its finalizers released: nothing", expected: []),
        Case(
            name: "OMJob deletion blocked for 2 h", omJobDeletedAt: "2026-03-10T12:00:00Z",
            expected: ["OMJob/om-job-mysql-pipeline-a1b2c3d4 blocksDeletion"]),
        Case(
            name: "OMJob deletion pending for 10 min: within the bound", omJobDeletedAt: "2026-03-10T13:50:00Z",
            expected: []),
        Case(
            name: "main pod of a run finished 4 h ago still holds our finalizer",
            podFinalizers: ["omjob.pipelines.openmetadata.org/exit-handler"],
            expected: ["Pod/om-job-mysql-pipeline-a1b2c3d4-main notReleasedAfterCompletion"]),
        Case(
            name: "main pod of a running run holds it: that is its job", omJobPhase: .running,
            podFinalizers: ["omjob.pipelines.openmetadata.org/exit-handler"], expected: []),
        Case(
            name: "a pod being deleted for 3 h held by our finalizer", omJobPhase: .running,
            podFinalizers: ["omjob.pipelines.openmetadata.org/exit-handler"], podDeletedAt: "2026-03-10T11:00:00Z",
            expected: ["Pod/om-job-mysql-pipeline-a1b2c3d4-main blocksDeletion"]),
        Case(
            name: "someone else's finalizer is not ours to report", omJobPhase: .running,
            podFinalizers: ["example.com/protect"], podDeletedAt: "2026-03-10T11:00:00Z", expected: []),
    ]

    @Test(arguments: cases)
    func finds(_ c: Case) {
        var omJob = GCFixtures.omJob()
        omJob.status?.phase = c.omJobPhase
        omJob.status?.completionTime = c.completion
        omJob.metadata.deletionTimestamp = c.omJobDeletedAt
        var pod = GCFixtures.mainPod()
        pod.metadata.finalizers = c.podFinalizers
        pod.metadata.deletionTimestamp = c.podDeletedAt
        let found = StaleFinalizerReport.report(
            omJobs: [omJob], pods: [pod], now: Self.now, settings: GCSettings(staleFinalizerSeconds: 3600)
        ).stale
        #expect(found.map { "\($0.object.kind ?? "")/\($0.object.name ?? "") \($0.cause.rawValue)" } == c.expected)
    }

    @Test func reportIsOneWarningEventPerObjectWithAStableName() {
        var omJob = GCFixtures.omJob()
        omJob.metadata.deletionTimestamp = "2026-03-10T12:00:00Z"
        let settings = GCSettings(staleFinalizerSeconds: 3600)
        let first = StaleFinalizerReport.commands(
            for: StaleFinalizerReport.report(omJobs: [omJob], pods: [], now: Self.now, settings: settings).stale,
            now: Self.now)
        let later = Self.now.addingTimeInterval(600)
        let second = StaleFinalizerReport.commands(
            for: StaleFinalizerReport.report(omJobs: [omJob], pods: [], now: later, settings: settings).stale,
            now: later)
        guard case .recordEvent(let event)? = first.first?.action else {
            Issue.record("no event")
            return
        }
        #expect(first.count == 1)
        #expect(event.event.type == "Warning")
        #expect(event.event.reason == "StaleFinalizer")
        #expect(event.event.metadata.name == "om-job-mysql-pipeline-a1b2c3d4.261a4c38ca6239ff")
        #expect(
            event.event.message
                == "Finalizer omjob.pipelines.openmetadata.org/exit-handler has blocked deletion of OMJob om-job-mysql-pipeline-a1b2c3d4 for 7200s (bound 3600s)."
        )
        #expect(second.map(\.id) == first.map(\.id))
    }
}
