import Foundation
import Shared
import Testing

@testable import Watcher

/// A malformed OMJob ends Failed with a clear message and a Warning event, and holds nothing.
@Suite struct InvalidRunTests {
    static let fixtures = Fixtures.names(in: "omjob").filter { $0.hasPrefix("malformed-") }

    @Test(arguments: fixtures)
    func aMalformedOMJobFailsWithItsReason(name: String) throws {
        let fixture = try Fixtures.decode(OMJobFixture.self, "omjob", name)
        var omJob = fixture.omjob
        omJob.metadata.finalizers = [OperatorLabels.finalizer]
        let decision = RunDecider.decide(
            RunObservation(omJob: omJob, pods: []), now: T.at("2025-01-09T16:00:00Z"), settings: RunSettings())
        let status = try #require(decision.status)
        #expect(status.phase == .failed)
        #expect(status.message == "invalid OMJob: \(fixture.expectMessage ?? "")")
        #expect(status.conditions?[type: "Failed"]?.reason == "InvalidSpec")
        #expect(decision.events.map(\.type) == ["Warning"])
        #expect(decision.events.first?.message == fixture.expectMessage)
        #expect(decision.finalizerChanges(adding: false) == [.omJob])
        #expect(decision.createdPods.isEmpty)
    }

    @Test func aFailedInvalidRunIsNotWrittenAgain() throws {
        var omJob = try Fixtures.decode(OMJobFixture.self, "omjob", "malformed-missing-main-pod-spec").omjob
        omJob.status = OMJobStatus(phase: .failed)
        let decision = RunDecider.decide(
            RunObservation(omJob: omJob, pods: []), now: T.at("2025-01-09T16:00:00Z"), settings: RunSettings())
        #expect(decision.commands.isEmpty)
    }

    @Test func aVeryLongNameStillGivesValidPods() throws {
        var run = try RunScenario()
        run.omJob.metadata.name = String(repeating: "long-pipeline-name.", count: 13) + "x"
        #expect(run.omJob.metadata.name!.count == 248)
        let pod = try #require(run.decide().createdPods.first)
        let name = try #require(pod.metadata.name)
        #expect(name.count <= 63)
        #expect(name.hasSuffix("-main"))
        #expect(PodNamingTests.isDNSSubdomain(name))
        let label = try #require(pod.metadata.labels?[OperatorLabels.omJobName])
        #expect(label.count <= 63)
    }
}

/// The watcher caches a finished run without its pod templates: the decision must not mistake
/// that for a spec without a main pod, and must decide as it would over the whole object.
@Suite struct FinishedRunCacheTests {
    @Test(arguments: [OMJobPhase.succeeded, .failed])
    func aFinishedRunWithoutItsTemplatesIsDecidedAsTheWholeOne(phase: OMJobPhase) throws {
        var scenario = try RunScenario()
        var status = OMJobStatus(phase: phase)
        status.mainPodName = scenario.name + "-main"
        status.startTime = "2025-01-09T15:00:00Z"
        status.completionTime = "2025-01-09T15:55:00Z"
        scenario.omJob.status = status
        let whole = RunDecider.decide(
            RunObservation(omJob: scenario.omJob, pods: [], mainPodNode: nil), now: scenario.now,
            settings: RunSettings())
        let cached = scenario.omJob.withoutPodTemplatesIfFinished()
        #expect(cached.podTemplatesDropped && cached.spec?.mainPodSpec == nil)
        let decision = RunDecider.decide(
            RunObservation(omJob: cached, pods: [], mainPodNode: nil), now: scenario.now, settings: RunSettings())
        #expect(decision.commands.map(\.id) == whole.commands.map(\.id))
        #expect(!decision.commands.contains { "\($0.action)".contains("InvalidSpec") })
    }

    @Test func aRunStillGoingIsCachedWhole() throws {
        let scenario = try RunScenario()
        #expect(scenario.omJob.withoutPodTemplatesIfFinished() == scenario.omJob)
    }
}
