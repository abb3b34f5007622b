import KubeJSON
import Testing

@testable import Shared
@testable import Supervisor

/// A standby's broker: commands held, none dispatched; all of them sent on taking the lead; the
/// gc told at its welcome and at each change.
@Suite struct BrokerLeadershipTests {
    let base = BrokerTests()
    static let gc = 9

    @Test func aStandbyHoldsEveryCommandAndDispatchesThemOnTakingTheLead() {
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
        #expect(dispatched.count == 6)
        #expect(b.pendingCount == 0)
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
