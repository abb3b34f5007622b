import Shared
import Testing

@testable import Supervisor

/// The elector's rules, as client-go's leaderelection has them, from tables of inputs.
@Suite struct LeaderElectorTests {
    typealias E = LeaderElector
    static let timing = E.Timing(leaseDuration: .seconds(15), renewDeadline: .seconds(10), retryPeriod: .seconds(2))

    static func at(_ seconds: Double) -> E.Now { E.Now(.milliseconds(Int64(seconds * 1000)), wall: "t\(seconds)") }
    static func lease(_ holder: String, rv: String, renew: String = "r", duration: Int = 15, transitions: Int = 0)
        -> ObservedLease
    {
        ObservedLease(
            record: LeaseRecord(
                holderIdentity: holder, leaseDurationSeconds: duration, acquireTime: "a", renewTime: renew,
                leaseTransitions: transitions), resourceVersion: rv)
    }

    /// Drives `me` through read → write → leading, returning the actions of the write's answer.
    static func acquired(_ elector: inout E, at seconds: Double = 0, rv: String = "1") -> [E.Action] {
        #expect(elector.tick(now: at(seconds)) == [.read])
        let write = elector.read(.notFound, now: at(seconds))
        guard case .create(let record) = write.first else {
            Issue.record("expected a create, got \(write)")
            return []
        }
        return elector.wrote(.written(ObservedLease(record: record, resourceVersion: rv)), now: at(seconds))
    }

    @Test func noLeaseIsCreatedAndLeadingStartsWhenTheCreateSucceeds() {
        var elector = E(identity: "me", timing: Self.timing)
        #expect(elector.tick(now: Self.at(0)) == [.read])
        #expect(elector.tick(now: Self.at(0.5)) == [], "one request at a time")
        let create = elector.read(.notFound, now: Self.at(0.1))
        #expect(
            create == [
                .create(
                    LeaseRecord(holderIdentity: "me", leaseDurationSeconds: 15, acquireTime: "t0.1", renewTime: "t0.1"))
            ])
        #expect(!elector.isLeader)
        let actions = elector.wrote(.written(Self.lease("me", rv: "1")), now: Self.at(0.2))
        #expect(actions.contains(.startLeading))
        #expect(elector.isLeader && elector.transitions == 1)
    }

    /// A held Lease is taken only once its record has stood still for a lease duration as this
    /// replica observed it; any change of the record restarts that wait.
    @Test(arguments: [
        // (seconds of each read, renewTime the holder wrote by then, expect an update at the last read)
        ([0.0, 14.9], ["r1", "r1"], false),
        ([0.0, 15.0], ["r1", "r1"], true),
        ([0.0, 10.0, 24.9], ["r1", "r2", "r2"], false),
        ([0.0, 10.0, 25.0], ["r1", "r2", "r2"], true),
    ])
    func aHeldLeaseIsTakenOnlyAfterALeaseDurationWithoutChange(reads: [Double], renews: [String], takes: Bool) {
        var elector = E(identity: "me", timing: Self.timing)
        var last: [E.Action] = []
        for (time, renew) in zip(reads, renews) {
            #expect(elector.tick(now: Self.at(time)) == [.read])
            last = elector.read(
                .found(Self.lease("other", rv: renew, renew: renew, transitions: 3)), now: Self.at(time))
        }
        let update = last.compactMap { action -> LeaseRecord? in if case .update(let r, _) = action { r } else { nil } }
            .first
        #expect((update != nil) == takes)
        if let update {
            #expect(
                update.holderIdentity == "me" && update.leaseTransitions == 4 && update.acquireTime == "t\(reads.last!)"
            )
        }
    }

    @Test func anEmptyHolderIsTakenAtOnce() {
        var elector = E(identity: "me", timing: Self.timing)
        _ = elector.tick(now: Self.at(0))
        let actions = elector.read(.found(Self.lease("", rv: "7", duration: 1)), now: Self.at(0))
        #expect(actions.contains { if case .update(let r, "7") = $0 { r.holderIdentity == "me" } else { false } })
    }

    @Test func aLeaderRenewsEveryRetryPeriodKeepingItsAcquireTime() {
        var elector = E(identity: "me", timing: Self.timing)
        _ = Self.acquired(&elector)
        #expect(elector.nextDeadline == .seconds(2))
        #expect(elector.tick(now: Self.at(1.9)) == [])
        #expect(elector.tick(now: Self.at(2)) == [.read])
        let renew = elector.read(.found(Self.lease("me", rv: "1", renew: "t0")), now: Self.at(2.1))
        #expect(
            renew == [
                .update(
                    LeaseRecord(holderIdentity: "me", leaseDurationSeconds: 15, acquireTime: "a", renewTime: "t2.1"),
                    resourceVersion: "1")
            ])
        #expect(elector.wrote(.written(Self.lease("me", rv: "2", renew: "t2.1")), now: Self.at(2.2)) == [])
        #expect(elector.lastRenew == .milliseconds(2100), "the renewal counts from when its write was sent")
    }

    /// Failures and hung requests alike: the lead stops at the last renewal *sent* plus the
    /// renew deadline, before a standby (lease duration after it saw that renewal) may take it.
    @Test(arguments: ["failures", "hung"])
    func aLeaderThatCannotRenewStopsAtTheRenewDeadline(mode: String) {
        var elector = E(identity: "me", timing: Self.timing)
        _ = Self.acquired(&elector)
        var time = 2.0
        while time < 10 {
            let actions = elector.tick(now: Self.at(time))
            if mode == "failures" {
                #expect(actions == [.read])
                _ = elector.read(.failed("connection refused"), now: Self.at(time))
            } else {
                #expect(actions == (time == 2 ? [.read] : []), "the hung read is not repeated")
            }
            #expect(elector.isLeader)
            time += 2
        }
        #expect(elector.nextDeadline! <= .seconds(10))
        let stop = elector.tick(now: Self.at(10))
        #expect(stop.contains(.stopLeading(reason: "not renewed within 10.0 seconds")))
        #expect(!elector.isLeader)
    }

    @Test func aLeaderThatFindsAnotherHolderStopsAtOnce() {
        var elector = E(identity: "me", timing: Self.timing)
        _ = Self.acquired(&elector)
        _ = elector.tick(now: Self.at(2))
        let actions = elector.read(.found(Self.lease("other", rv: "9")), now: Self.at(2))
        #expect(actions.contains(.stopLeading(reason: "lease held by other")))
        #expect(!elector.isLeader)
    }

    @Test func aConflictLosesTheRaceAndRetriesAfterTheRetryPeriod() {
        var elector = E(identity: "me", timing: Self.timing)
        _ = elector.tick(now: Self.at(0))
        _ = elector.read(.notFound, now: Self.at(0))
        #expect(elector.wrote(.conflict, now: Self.at(0.1)) == [])
        #expect(!elector.isLeader)
        #expect(elector.tick(now: Self.at(2)) == [])
        #expect(elector.tick(now: Self.at(2.1)) == [.read])
    }

    @Test func releaseStopsLeadingAndWritesAnEmptyHolder() {
        var elector = E(identity: "me", timing: Self.timing)
        _ = Self.acquired(&elector, rv: "5")
        let actions = elector.release(now: Self.at(1))
        #expect(actions.first == .stopLeading(reason: "shutting down"))
        let update = actions.compactMap { action -> LeaseRecord? in
            if case .update(let r, "5") = action { r } else { nil }
        }.first
        #expect(update?.holderIdentity == "" && update?.leaseDurationSeconds == 1)
        #expect(elector.tick(now: Self.at(20)) == [], "no renewal after release")
        #expect(elector.wrote(.written(Self.lease("", rv: "6")), now: Self.at(1.1)) == [.released])
        #expect(elector.nextDeadline == nil)
    }

    @Test func releaseWaitsForTheRequestInFlight() {
        var elector = E(identity: "me", timing: Self.timing)
        _ = Self.acquired(&elector, rv: "5")
        #expect(elector.tick(now: Self.at(2)) == [.read])
        #expect(
            elector.release(now: Self.at(2.1)) == [
                .stopLeading(reason: "shutting down"), .log(.lost(reason: "shutting down")),
            ])
        let after = elector.read(.found(Self.lease("me", rv: "5")), now: Self.at(2.2))
        #expect(after.count == 1)
        #expect(
            elector.wrote(.failed("timeout"), now: Self.at(3)) == [.released],
            "a failed release still lets shutdown finish")
    }

    @Test func aStandbyReleasesNothing() {
        var elector = E(identity: "me", timing: Self.timing)
        _ = elector.tick(now: Self.at(0))
        _ = elector.read(.found(Self.lease("other", rv: "1")), now: Self.at(0))
        #expect(elector.release(now: Self.at(1)) == [.released])
    }

    /// The holder's own duration counts, not ours: a holder with a longer lease is waited for.
    @Test func theHoldersLeaseDurationIsHonoured() {
        var elector = E(identity: "me", timing: Self.timing)
        _ = elector.tick(now: Self.at(0))
        _ = elector.read(.found(Self.lease("other", rv: "1", duration: 30)), now: Self.at(0))
        _ = elector.tick(now: Self.at(20))
        #expect(
            !elector.read(.found(Self.lease("other", rv: "1", duration: 30)), now: Self.at(20)).contains {
                if case .update = $0 { true } else { false }
            })
    }

    @Test func failuresAreLoggedOnceUntilARequestSucceeds() {
        var elector = E(identity: "me", timing: Self.timing)
        _ = elector.tick(now: Self.at(0))
        #expect(elector.read(.failed("refused"), now: Self.at(0)) == [.log(.requestFailed(reason: "refused"))])
        _ = elector.tick(now: Self.at(2))
        #expect(elector.read(.failed("refused"), now: Self.at(2)) == [])
        _ = elector.tick(now: Self.at(4))
        #expect(elector.read(.found(Self.lease("other", rv: "1")), now: Self.at(4)).contains(.log(.requestsRecovered)))
    }
}
