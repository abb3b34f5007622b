import KubeJSON
import Testing

@testable import BrokerProtocol
@testable import Supervisor

/// A standby's broker: commands held, none dispatched; on taking the lead every held one is
/// answered `not-leading` (decided on state that has moved on), none dispatched; commands
/// accepted afterwards go out; the gc told at its welcome and at each change.
@Suite struct BrokerLeadershipTests {
    let base = BrokerTests()
    static let gc = 9

    @Test func aStandbyHoldsEveryCommandAndAnswersThemNotLeadingOnTakingTheLead() {
        var b = base.broker()
        _ = b.setLeading(false)
        var sent: [Broker.Action] = []
        for i in 0..<6 {
            sent += b.received(
                base.decoded(base.command("c\(i)", "run-\(i)")), from: BrokerTests.watcher, now: .milliseconds(i))
        }
        #expect(
            !sent.contains {
                if case .send(let c, _) = $0 { c == BrokerTests.e0 || c == BrokerTests.e1 } else { false }
            })
        #expect(b.pendingCount == 6)
        // An executor that restarts while standby gets nothing either.
        _ = b.disconnected(BrokerTests.e1, now: .seconds(1))
        _ = b.received(base.decoded(.hello(Hello(role: "executor", pid: 300, instance: 1))), from: 7, now: .seconds(1))
        #expect(b.received(base.decoded(.ready), from: 7, now: .seconds(1)).isEmpty)
        let lead = b.setLeading(true)
        let dispatched = (0..<6).flatMap { base.targets(lead, of: base.command("c\($0)", "run-\($0)")) }
        #expect(dispatched.isEmpty, "a held command is never dispatched")
        let answers = (0..<6).map { IPCMessage.result(ResultEnvelope(id: "c\($0)", error: "not-leading")).frame() }
        #expect(
            answers.allSatisfy { lead.contains(.send(BrokerTests.watcher, $0)) },
            "each held command answered to its requester")
        #expect(b.pendingCount == 0 && b.ledger.isEmpty)
        // Decided again, from fresh state: dispatched now.
        let again = b.received(
            base.decoded(base.command("c0-again", "run-0")), from: BrokerTests.watcher, now: .seconds(2))
        #expect(base.targets(again, of: base.command("c0-again", "run-0")).count == 1)
    }

    /// Losing the lead re-queues nothing by itself; the executors the supervisor then kills
    /// give their commands back, which wait (held) and are answered on the next lead.
    @Test func commandsOfExecutorsKilledOnLosingTheLeadAreAnsweredOnTheNextLead() {
        var b = base.broker()
        let out = b.received(base.decoded(base.command("w1", "run-1")), from: BrokerTests.watcher, now: .zero)
        #expect(base.targets(out, of: base.command("w1", "run-1")).count == 1)
        _ = b.setLeading(false)
        _ = b.disconnected(BrokerTests.e0, now: .seconds(1))
        _ = b.disconnected(BrokerTests.e1, now: .seconds(1))
        #expect(b.ledger["w1"]?.executor == nil, "back in the queue, held")
        let lead = b.setLeading(true)
        #expect(
            lead.contains(
                .send(BrokerTests.watcher, IPCMessage.result(ResultEnvelope(id: "w1", error: "not-leading")).frame())))
        #expect(b.ledger.isEmpty)
    }

    @Test func theGCHearsLeadershipAtItsWelcomeAndOnEachChange() {
        var b = base.broker()
        _ = b.setLeading(false)
        let welcome = b.received(base.decoded(.hello(Hello(role: "gc", pid: 400))), from: Self.gc, now: .zero)
        let expected = IPCMessage.welcome(version: "test").frame() + IPCMessage.leadership(leading: false).frame()
        #expect(welcome.first == .send(Self.gc, expected))
        #expect(b.setLeading(true) == [.send(Self.gc, IPCMessage.leadership(leading: true).frame())])
        #expect(b.setLeading(true) == [], "no change, nothing said")
    }

    @Test func leadershipRoundTripsThroughTheCodec() throws {
        for leading in [true, false] {
            let frame = IPCMessage.leadership(leading: leading).frame()
            var decoder = MessageDecoder()
            #expect(try decoder.feed(frame).map(\.message) == [.leadership(leading: leading)])
        }
    }
}
