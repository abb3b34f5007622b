import BrokerProtocol
import Foundation
import Models
import Runtime
import Testing

@testable import Watcher

/// The watcher driver's bookkeeping, from tables of inputs at explicit times: which keys are
/// decided, which commands are sent, what an answer counts and when a key is due again.
@Suite struct WatcherBookTests {
    static let t0 = Date(timeIntervalSince1970: 1_000_000)
    static let a = WorkKey(controller: "omjob", key: ObjectKey(namespace: "ns", name: "a"))
    static let b = WorkKey(controller: "omjob", key: ObjectKey(namespace: "ns", name: "b"))

    /// A command no informer change undoes (an event), so the ledger forgets it only on its answer.
    static func command(_ id: String, key: ObjectKey) -> Command {
        let event = Event(
            metadata: ObjectMeta(name: id), involvedObject: ObjectReference(), reason: "R", message: "m", type: "Normal"
        )
        return Command(id: id, key: key, owner: .omJob("uid"), action: .recordEvent(RecordEvent(event: event)))
    }

    static func plan(
        _ ids: [String], for work: WorkKey = a, versionBound: Set<String> = [], nextLook: Date? = nil
    ) -> Reconciliation {
        var result = Reconciliation(
            commands: ids.map { PlannedCommand(command($0, key: work.key)) },
            versionBound: versionBound, nextLook: nextLook)
        result.countedOnDone = Dictionary(
            uniqueKeysWithValues: ids.map { ($0, [CounterKey(MetricCatalogue.podsCreated.name)]) })
        result.observedOnDone = Dictionary(
            uniqueKeysWithValues: ids.map { ($0, [Observation(MetricCatalogue.exitHandlerStartLatency.name)]) })
        return result
    }

    /// The ids of the commands in `frames`, read back as the broker reads them.
    static func sentIDs(_ frames: [[UInt8]]) -> [String] {
        frames.compactMap { frame in
            var decoder = FrameDecoder()
            guard let payload = (try? decoder.feed(frame))?.first,
                case .command(let envelope)? = try? IPCMessage(payload: payload)
            else { return nil }
            return envelope.id
        }
    }

    static func outcome(_ id: String, _ outcome: CommandOutcome) -> ResultEnvelope {
        ResultEnvelope(id: id, payload: outcome.payload)
    }

    /// Drains like the driver: every queued key, in order.
    static func drain(_ book: inout WatcherBook) -> [WorkKey] {
        var decided: [WorkKey] = []
        while let work = book.next() {
            decided.append(work)
            book.finished(work)
        }
        return decided
    }

    @Test func changesCoalesceAndKeysAreDecidedInArrivalOrder() {
        var book = WatcherBook()
        for (work, object) in [(Self.b, "omjob"), (Self.a, "pod/x"), (Self.b, "pod/y")] {
            book.changed(work, object: object, deleted: false, instant: .zero)
        }
        let decided1 = Self.drain(&book)
        #expect(decided1 == [Self.b, Self.a])
        let decided2 = Self.drain(&book)
        #expect(decided2.isEmpty)
    }

    @Test func aCommandInFlightOrAnsweredIsNotSentAgainUntilTheWatchShowsAChange() throws {
        var book = WatcherBook()
        let sent3 = book.decided(Self.a, Self.plan(["create", "patch"]), now: Self.t0, instant: .zero)
        #expect(Self.sentIDs(sent3) == ["create", "patch"])
        let sent4 = book.decided(Self.a, Self.plan(["create", "patch"]), now: Self.t0, instant: .zero)
        #expect(Self.sentIDs(sent4).isEmpty, "in flight")
        let answerResult = book.answered(Self.outcome("create", .done), now: Self.t0, instant: .seconds(1))
        let answer = try #require(answerResult)
        #expect(answer.work == Self.a && answer.retryAfter == nil)
        let decided5 = Self.drain(&book)
        #expect(decided5 == [Self.a], "a settled answer decides the key again at once")
        let sent6 = book.decided(Self.a, Self.plan(["create"]), now: Self.t0, instant: .zero)
        #expect(Self.sentIDs(sent6).isEmpty, "answered, not yet seen")
        book.changed(Self.a, object: "omjob", deleted: false, instant: .seconds(2))
        let sent7 = book.decided(Self.a, Self.plan(["create"]), now: Self.t0, instant: .seconds(2))
        #expect(Self.sentIDs(sent7) == ["create"])
    }

    @Test func eachFrameIsHandedOverOnItsOwnInTheDecisionsOrder() {
        var book = WatcherBook()
        var handed: [[UInt8]] = []
        let plan = Self.plan(["create-exit-pod", "status", "event"])
        book.decided(Self.a, plan, now: Self.t0, instant: .zero) { handed.append($0) }
        #expect(handed.count == 3, "one call per command")
        #expect(Self.sentIDs(handed) == ["create-exit-pod", "status", "event"])
        let again = book.decided(Self.a, plan, now: Self.t0, instant: .zero)
        #expect(Self.sentIDs(again).isEmpty, "every frame handed over is in flight")
    }

    @Test func aDoneAnswerCountsOnceAndMeasuresFromTheFirstChange() throws {
        var book = WatcherBook()
        book.changed(Self.a, object: "pod/main", deleted: false, instant: .milliseconds(100))
        book.changed(Self.a, object: "omjob", deleted: false, instant: .milliseconds(150))
        _ = Self.drain(&book)
        _ = book.decided(Self.a, Self.plan(["create-exit-pod"]), now: Self.t0, instant: .milliseconds(200))
        let answerResult = book.answered(
            Self.outcome("create-exit-pod", .done), now: Self.t0, instant: .milliseconds(350))
        let answer = try #require(answerResult)
        #expect(answer.outcome == "done")
        #expect(answer.counted == [CounterKey(MetricCatalogue.podsCreated.name)])
        #expect(answer.observed == [Observation(MetricCatalogue.exitHandlerStartLatency.name, value: 0.25)])
        let reply8 = book.answered(Self.outcome("create-exit-pod", .done), now: Self.t0, instant: .seconds(1))
        #expect(reply8 == nil, "a duplicate answer")
    }

    @Test(arguments: [
        (CommandOutcome.alreadyExists, "alreadyExists"), (.conflict, "conflict"), (.notFound, "notFound"),
        (.invalid("bad"), "invalid"),
    ])
    func otherSettledAnswersCountNothingAndDecideAgainAtOnce(outcome: CommandOutcome, name: String) throws {
        var book = WatcherBook()
        _ = book.decided(Self.a, Self.plan(["c"]), now: Self.t0, instant: .zero)
        let answerResult = book.answered(Self.outcome("c", outcome), now: Self.t0, instant: .seconds(1))
        let answer = try #require(answerResult)
        #expect(answer == WatcherBook.Answer(work: Self.a, outcome: name))
        let decided9 = Self.drain(&book)
        #expect(decided9 == [Self.a])
    }

    /// A failed command: the key is due again after its backoff (5 ms doubling), not at once;
    /// a broker error counts as `broker-<error>`; success forgets the backoff.
    @Test func failuresBackOffPerKeyAndSuccessForgets() throws {
        var book = WatcherBook()
        var delays: [TimeInterval] = []
        for attempt in 0..<3 {
            _ = book.decided(Self.a, Self.plan(["c\(attempt)"]), now: Self.t0, instant: .zero)
            let answerResult = book.answered(
                Self.outcome("c\(attempt)", .failed("timeout")), now: Self.t0, instant: .zero)
            let answer = try #require(answerResult)
            #expect(answer.outcome == "failed" && answer.failure == "timeout" && answer.counted.isEmpty)
            delays.append(try #require(answer.retryAfter))
        }
        #expect(delays == [0.005, 0.01, 0.02])
        let decided10 = Self.drain(&book)
        #expect(decided10.isEmpty, "not decided again before the backoff")
        // Each decision replaced the key's due time; the last failure's backoff is what is left.
        #expect(book.earliestDue == Self.t0.addingTimeInterval(0.02))
        let due11 = book.timerFired(now: Self.t0.addingTimeInterval(0.019))
        #expect(due11.isEmpty)
        let due12 = book.timerFired(now: Self.t0.addingTimeInterval(0.02))
        #expect(due12 == [Self.a])
        let decided13 = Self.drain(&book)
        #expect(decided13 == [Self.a])

        _ = book.decided(Self.a, Self.plan(["broker"]), now: Self.t0, instant: .zero)
        let refusedResult = book.answered(ResultEnvelope(id: "broker", error: "busy"), now: Self.t0, instant: .zero)
        let refused = try #require(refusedResult)
        #expect(refused.outcome == "broker-busy" && refused.retryAfter == 0.04)
        _ = book.decided(Self.a, Self.plan(["ok"]), now: Self.t0, instant: .zero)
        _ = book.answered(Self.outcome("ok", .done), now: Self.t0, instant: .zero)
        _ = book.decided(Self.a, Self.plan(["again"]), now: Self.t0, instant: .zero)
        let reply14 = book.answered(Self.outcome("again", .failed("x")), now: Self.t0, instant: .zero)
        #expect(reply14?.retryAfter == 0.005)
    }

    /// A decision's next look replaces the key's due time; the timer hands over only due keys.
    @Test func nextLooksAreDueTimesAndTheTimerQueuesOnlyDueKeys() {
        var book = WatcherBook()
        _ = book.decided(Self.a, Self.plan([], nextLook: Self.t0.addingTimeInterval(60)), now: Self.t0, instant: .zero)
        _ = book.decided(
            Self.b, Self.plan([], for: Self.b, nextLook: Self.t0.addingTimeInterval(30)), now: Self.t0, instant: .zero)
        #expect(book.earliestDue == Self.t0.addingTimeInterval(30))
        _ = book.decided(Self.b, Self.plan([], for: Self.b), now: Self.t0, instant: .zero)
        #expect(
            book.earliestDue == Self.t0.addingTimeInterval(60),
            "a fresh decision without a next look clears the key's time")
        let due15 = book.timerFired(now: Self.t0.addingTimeInterval(59))
        #expect(due15.isEmpty)
        let due16 = book.timerFired(now: Self.t0.addingTimeInterval(60))
        #expect(due16 == [Self.a])
        let decided17 = Self.drain(&book)
        #expect(decided17 == [Self.a])
        #expect(book.earliestDue == nil)
    }
}

extension WatcherBook {
    /// The frames a decision hands over, collected.
    mutating func decided(_ work: WorkKey, _ result: Reconciliation, now: Date, instant: Duration) -> [[UInt8]] {
        var frames: [[UInt8]] = []
        decided(work, result, now: now, instant: instant) { frames.append($0) }
        return frames
    }
}
