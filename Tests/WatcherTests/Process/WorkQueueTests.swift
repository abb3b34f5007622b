import Foundation
import Testing

@testable import Watcher

/// The work queue's dirty and processing sets, the due-time table, backoff and the command ledger.
@Suite struct WorkQueueTests {
    @Test func aKeyAddedManyTimesIsQueuedOnce() {
        var queue = WorkQueue<String>()
        for key in ["a", "b", "a", "a", "b"] { queue.add(key) }
        #expect(queue.count == 2)
        #expect(queue.next() == "a")
        #expect(queue.next() == "b")
        #expect(queue.next() == nil)
    }

    @Test func aKeyChangedWhileProcessingRunsAgainAfterDoneNeverTwiceAtOnce() {
        var queue = WorkQueue<String>()
        queue.add("a")
        let first = queue.next()
        queue.add("a")
        #expect(queue.next() == nil, "a is being processed: not handed out twice")
        queue.done(first!)
        #expect(queue.next() == "a", "the change during processing is not lost")
        queue.done("a")
        #expect(queue.next() == nil)
    }

    @Test func dueKeysKeepTheEarliestTimeAndHandOverOnlyDueOnes() {
        var due = DueKeys<String>()
        let t0 = Date(timeIntervalSince1970: 1000)
        due.schedule("a", at: t0.addingTimeInterval(10))
        due.schedule("a", at: t0.addingTimeInterval(5))
        due.schedule("a", at: t0.addingTimeInterval(20))
        due.schedule("b", at: t0.addingTimeInterval(30))
        #expect(due.earliest == t0.addingTimeInterval(5))
        #expect(due.takeDue(now: t0.addingTimeInterval(6)) == ["a"])
        #expect(due.takeDue(now: t0.addingTimeInterval(6)).isEmpty)
        due.reset("b", to: nil)
        #expect(due.earliest == nil)
    }

    /// Each decision resets its key's time: only a key's last time counts, for `earliest` and for
    /// `takeDue`, however many came before it.
    @Test func dueKeysFollowEveryResetAndHandOverOnlyLiveTimes() {
        var due = DueKeys<String>()
        let t0 = Date(timeIntervalSince1970: 1000)
        for i in 0..<5000 {
            due.reset("a", to: t0.addingTimeInterval(Double(10_000 - i)))
            due.reset("b", to: t0.addingTimeInterval(Double(20_000 + i)))
        }
        due.reset("c", to: t0.addingTimeInterval(7000))
        #expect(due.count == 3)
        #expect(due.earliest == t0.addingTimeInterval(5001), "a's last time, not one of its 4,999 earlier ones")
        #expect(due.takeDue(now: t0.addingTimeInterval(5001)) == ["a"])
        #expect(due.takeDue(now: t0.addingTimeInterval(9000)) == ["c"], "a's stale times are not handed over again")
        #expect(due.earliest == t0.addingTimeInterval(24_999))
        due.reset("b", to: nil)
        #expect(due.earliest == nil)
        #expect(due.takeDue(now: .distantFuture).isEmpty)
    }

    @Test func backoffDoublesFromFiveMillisecondsUpToTheCapAndIsForgotten() {
        var backoff = KeyBackoff<String>()
        #expect(backoff.failed("a") == 0.005)
        #expect(backoff.failed("a") == 0.010)
        #expect(backoff.failed("a") == 0.020)
        for _ in 0..<40 { _ = backoff.failed("a") }
        #expect(backoff.failed("a") == 1000)
        backoff.forget("a")
        #expect(backoff.failed("a") == 0.005)
        #expect(backoff.failed("b") == 0.005, "keys back off independently")
    }

    @Test func theLedgerHoldsInFlightAndSettledIdsUntilTheKeyChanges() {
        var ledger = CommandLedger<String>()
        let now = Date(timeIntervalSince1970: 1000)
        ledger.started("create", key: "k", versionBound: false)
        ledger.started("status@7", key: "k", versionBound: true)
        #expect(!ledger.mayStart("create", now: now), "in flight")
        #expect(ledger.answered("create", settled: true, now: now) == "k")
        #expect(ledger.answered("status@7", settled: true, now: now) == "k")
        #expect(!ledger.mayStart("create", now: now), "answered; the watch has not shown the effect yet")
        ledger.keyChanged("k")
        #expect(ledger.mayStart("create", now: now), "after a change, the decision knows best")
        #expect(!ledger.mayStart("status@7", now: now), "the same version can only conflict")
        #expect(ledger.mayStart("status@7", now: now.addingTimeInterval(ledger.settleTime)), "held at most settleTime")
        #expect(ledger.answered("unknown", settled: true, now: now) == nil)
    }

    @Test func aChangeReleasesOnlyItsOwnKeysAnswersAndPruningForgetsExpiredOnes() {
        var ledger = CommandLedger<String>()
        let now = Date(timeIntervalSince1970: 1000)
        for key in ["a", "b"] {
            ledger.started("create-\(key)", key: key, versionBound: false)
            _ = ledger.answered("create-\(key)", settled: true, now: now)
        }
        ledger.keyChanged("a")
        #expect(ledger.mayStart("create-a", now: now))
        #expect(!ledger.mayStart("create-b", now: now), "another key's change releases nothing of b")
        let later = now.addingTimeInterval(ledger.settleTime)
        ledger.prune(now: later)
        #expect(ledger.mayStart("create-b", now: now), "pruned once settleTime passed")
        ledger.started("create-b", key: "b", versionBound: false)
        _ = ledger.answered("create-b", settled: true, now: later)
        ledger.keyChanged("b")
        #expect(ledger.mayStart("create-b", now: later), "an id answered again after pruning is released by a change")
    }

    /// A create is released only by its pod's deletion, a pod finalizer change by any change of
    /// that pod; never by the OMJob's status event, which may lag behind the pod (releasing then
    /// sent half the runs' exit pods twice: a 409 and a read each).
    @Test func anAnswerWaitsForTheChangeThatMayUndoIt() {
        var ledger = CommandLedger<String>()
        let now = Date(timeIntervalSince1970: 1000)
        ledger.started("create", key: "k", versionBound: false, awaits: AwaitedChange("pod/k-exit", deletionOnly: true))
        ledger.started("release", key: "k", versionBound: false, awaits: AwaitedChange("pod/k-main"))
        ledger.started("event", key: "k", versionBound: false)
        for id in ["create", "release", "event"] { _ = ledger.answered(id, settled: true, now: now) }
        ledger.keyChanged("k", object: "omjob")
        #expect(!ledger.mayStart("create", now: now), "the OMJob's change shows nothing of the pod")
        #expect(!ledger.mayStart("release", now: now))
        #expect(
            ledger.mayStart("event", now: now), "an answer awaiting nothing in particular is released by any change")
        ledger.keyChanged("k", object: "pod/k-exit")
        #expect(!ledger.mayStart("create", now: now), "the created pod showing up does not undo the create")
        ledger.keyChanged("k", object: "pod/k-main")
        #expect(ledger.mayStart("release", now: now), "the pod's own change releases a finalizer change")
        ledger.keyChanged("k", object: "pod/k-exit", deleted: true)
        #expect(ledger.mayStart("create", now: now), "the pod's deletion releases its create")
        ledger.started("create", key: "k", versionBound: false, awaits: AwaitedChange("pod/k-exit", deletionOnly: true))
        _ = ledger.answered("create", settled: true, now: now)
        ledger.keyChanged("k")
        #expect(ledger.mayStart("create", now: now), "a change of an unknown object (a node) releases everything")
    }

    @Test func aFailedCommandMayBeSentAgainAtOnce() {
        var ledger = CommandLedger<String>()
        let now = Date(timeIntervalSince1970: 1000)
        ledger.started("create", key: "k", versionBound: false)
        _ = ledger.answered("create", settled: false, now: now)
        #expect(ledger.mayStart("create", now: now))
        #expect(ledger.inFlightCount == 0)
    }
}
