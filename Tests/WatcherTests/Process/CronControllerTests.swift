import Foundation
import KubeJSON
import Shared
import Testing

@testable import Watcher

/// The CronOMJob controller over the watcher's cache: which keys a change touches, and the
/// envelopes it hands the driver for the broker.
@Suite struct CronControllerTests {
    static func cache(_ cron: CronOMJob, runs: [OMJob]) -> WatchCache {
        var cache = WatchCache()
        _ = cache.apply(WatchCache.Change<CronOMJob>.upserted(cron))
        for run in runs { _ = cache.apply(WatchCache.Change<OMJob>.upserted(run)) }
        return cache
    }

    /// Hourly, created 09:30: at 10:00:05 the 10:00 run is created, then the status, then the event;
    /// the envelopes carry the CronOMJob's key and the commands' deterministic ids.
    @Test func aDueSlotBecomesCreateThenStatusEnvelopes() throws {
        let cron = try CronFixtures.cron()
        let result = CronController().reconcile(
            cron.metadata.key, cache: Self.cache(cron, runs: []),
            now: Date(timeIntervalSince1970: TimeInterval(epoch("2026-03-10T10:00:05Z"))))
        let types = result.commands.map { $0.payload["action"]?["type"]?.stringValue ?? "" }
        #expect(types == ["createOMJob", "patchCronOMJobStatus", "recordEvent"])
        #expect(result.commands.allSatisfy { $0.key == cron.metadata.key })
        let created = try #require(result.commands.first)
        #expect(created.id == "\(cron.metadata.uid!)/create/\(CronFixtures.runName("2026-03-10T10:00:00Z"))")
        let runID =
            created.payload["action"]?["omJob"]?["metadata"]?["labels"]?["app.kubernetes.io/run-id"]?.stringValue ?? ""
        #expect(UUID(uuidString: runID) != nil, "a fresh UUID per decision: \(runID)")
        #expect(result.versionBound == [result.commands[1].id], "only the status write carries a resourceVersion")
        #expect(result.nextLook == Date(timeIntervalSince1970: TimeInterval(epoch("2026-03-10T11:00:00Z"))))
    }

    /// After the slot's run was created, deciding again before the next slot never creates it
    /// again; once the status that lists the run (as the cache now sees it) is written, nothing
    /// more is sent: steady state costs no writes.
    @Test func aSlotAlreadyRunIsNotCreatedAgainAndSettles() throws {
        var cron = try CronFixtures.cron()
        let at = { (text: String) in Date(timeIntervalSince1970: TimeInterval(epoch(text))) }
        let first = CronController().reconcile(
            cron.metadata.key, cache: Self.cache(cron, runs: []), now: at("2026-03-10T10:00:05Z"))
        cron.status = try Self.status(in: first)
        let run = CronFixtures.run(of: cron, slot: "2026-03-10T10:00:00Z", phase: .running)
        let second = CronController().reconcile(
            cron.metadata.key, cache: Self.cache(cron, runs: [run]), now: at("2026-03-10T10:20:00Z"))
        #expect(!second.commands.contains { $0.payload["action"]?["type"]?.stringValue == "createOMJob" })
        if let status = try? Self.status(in: second) { cron.status = status }
        let third = CronController().reconcile(
            cron.metadata.key, cache: Self.cache(cron, runs: [run]), now: at("2026-03-10T10:30:00Z"))
        #expect(third.commands.isEmpty)
        #expect(third.nextLook == at("2026-03-10T11:00:00Z"))
    }

    static func status(in result: Reconciliation) throws -> CronOMJobStatus {
        let payload = try #require(
            result.commands.first { $0.payload["action"]?["type"]?.stringValue == "patchCronOMJobStatus" }?.payload)
        return try #require(try payload["action"]?["status"]?.decoded(as: CronOMJobStatus.self))
    }

    /// A run's change reaches its CronOMJob through the annotation that names it (or, for runs
    /// made with one, a controller ownerReference) only.
    @Test func runsLeadToTheirCronOMJob() throws {
        let cron = try CronFixtures.cron()
        let run = CronFixtures.run(of: cron, slot: "2026-03-10T10:00:00Z", phase: .succeeded)
        #expect(WatchCache.controllingCron(of: run) == cron.metadata.key)
        var owned = run
        owned.metadata.annotations?[CronOwnership.annotation] = nil
        owned.metadata.ownerReferences = [
            OwnerReference(
                apiVersion: "pipelines.openmetadata.org/v1", kind: "CronOMJob",
                name: cron.metadata.name!, uid: cron.metadata.uid!, controller: true)
        ]
        #expect(WatchCache.controllingCron(of: owned) == cron.metadata.key)
        var standalone = run
        standalone.metadata.annotations?[CronOwnership.annotation] = nil
        #expect(WatchCache.controllingCron(of: standalone) == nil)
        let cache = Self.cache(cron, runs: [run, standalone.renamed("other")])
        #expect(cache.runs(ofCron: cron.metadata.key).map(\.metadata.name) == [run.metadata.name])
    }

    @Test func anUnknownKeyDecidesNothing() {
        let result = CronController().reconcile(ObjectKey(namespace: "x", name: "y"), cache: WatchCache(), now: Date())
        #expect(result.commands.isEmpty && result.nextLook == nil)
    }
}

extension OMJob {
    fileprivate func renamed(_ name: String) -> OMJob {
        var copy = self
        copy.metadata.name = name
        return copy
    }
}
