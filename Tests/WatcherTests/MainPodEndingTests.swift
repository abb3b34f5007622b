import Foundation
import Shared
import Testing

@testable import Watcher

/// DESIGN.md §4, row by row: every fixture in Fixtures/main-pod is a pod shaped as the API server
/// reports it for one way a main pod ends (or does not yet), with the reading the decision must make.
@Suite struct MainPodEndingTests {
    static let fixtures = Fixtures.names(in: "main-pod")

    @Test func everyRowOfTheDesignTableHasAFixture() {
        #expect(Self.fixtures.count >= 25)
    }

    @Test(arguments: fixtures)
    func readsTheEnding(name: String) throws {
        let fixture = try Fixtures.decode(MainPodFixture.self, "main-pod", name)
        #expect(fixture.source.hasPrefix("https://kubernetes.io/"), "every fixture cites its source")
        let now = T.at(fixture.now)
        let limits = RunLimits(spec: nil, settings: RunSettings())
        let node = fixture.node.map(NodeReadiness.init(node:))
        let reading = MainPodEnding.read(fixture.view, node: node, limits: limits, now: now, stamp: fixture.now)
        let expect = fixture.expect

        switch reading {
        case .ended(let ending):
            #expect(expect.ended, "\(name): expected the pod to be still going, got \(ending)")
            #expect(ending.reason == expect.reason)
            #expect(ending.source == expect.source)
            #expect(ending.exitCode == expect.exitCode)
            #expect(ending.signal == expect.signal)
            #expect(ending.isSuccess == (expect.success ?? false))
            #expect(ending.containerMayStillRun == expect.containerMayStillRun)
            #expect(ending.recordedAt == fixture.now)
        case .inProgress(let progress, let nextLook):
            #expect(!expect.ended, "\(name): expected an ending, got \(progress)")
            switch progress {
            case .running: #expect(expect.progress == "running")
            case .notStarted(let reason): #expect(expect.progress == "notStarted:\(reason)")
            }
            #expect(nextLook.map(KubeTime.format) == expect.nextLook)
        }
    }

    @Test func theNodeOfAnotherPodDoesNotEndThisOne() throws {
        var fixture = try Fixtures.decode(MainPodFixture.self, "main-pod", "node-not-ready-past-threshold")
        fixture.view.spec?.nodeName = "worker-2"
        let reading = MainPodEnding.read(
            fixture.view, node: fixture.node.map(NodeReadiness.init(node:)),
            limits: RunLimits(spec: nil, settings: RunSettings()), now: T.at(fixture.now), stamp: fixture.now)
        #expect(reading == .inProgress(.running(startedAt: T.at("2025-01-09T15:30:04Z")), nextLook: nil))
    }

    @Test(arguments: [("True", true), ("False", false), ("Unknown", false), (nil, true)] as [(String?, Bool)])
    func nodeReadinessFollowsTheReadyCondition(status: String?, ready: Bool) {
        let conditions = status.map {
            [NodeCondition(type: "Ready", status: $0, lastTransitionTime: "2025-01-09T15:00:00Z")]
        }
        let node = Node(metadata: ObjectMeta(name: "worker-1"), status: NodeStatus(conditions: conditions))
        #expect((NodeReadiness(node: node) == .ready) == ready)
    }

    @Test func perRunDeadlinesOverrideTheOperatorDefaults() throws {
        let fixture = try Fixtures.decode(MainPodFixture.self, "main-pod", "err-image-pull-within-deadline")
        var spec = OMJobSpec(mainPodSpec: nil)
        spec.mainPodStartDeadlineSeconds = 30
        let reading = MainPodEnding.read(
            fixture.view, node: nil, limits: RunLimits(spec: spec, settings: RunSettings()), now: T.at(fixture.now),
            stamp: fixture.now)
        guard case .ended(let ending) = reading else {
            Issue.record("expected NeverStarted with a 30 s deadline, got \(reading)")
            return
        }
        #expect(ending.reason == "NeverStarted/ErrImagePull")
        #expect(ending.message?.contains("failed to pull") == true)
    }
}
