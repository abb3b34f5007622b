import KubeJSON
import Testing

@testable import Shared
@testable import Supervisor

/// The broker as a state machine: routing by key, the in-flight ledger, re-dispatch with exactly
/// one result per command, backpressure and drain.
@Suite struct BrokerTests {
    static let watcher = 1, e0 = 2, e1 = 3, e2 = 4

    func decoded(_ message: IPCMessage) -> DecodedMessage {
        DecodedMessage(message: message, payload: message.payload())
    }

    func command(_ id: String, _ name: String) -> IPCMessage {
        .command(CommandEnvelope(id: id, key: ObjectKey(namespace: "ns", name: name), payload: ["op": "x"]))
    }

    func result(_ id: String) -> IPCMessage { .result(ResultEnvelope(id: id, payload: ["outcome": "done"])) }

    func broker(executors: [Int] = [e0, e1], limits: Broker.Limits = .init()) -> Broker {
        var broker = Broker(limits: limits, version: "test")
        _ = broker.received(decoded(.hello(Hello(role: "watcher", pid: 100))), from: Self.watcher, now: .zero)
        for (instance, connection) in executors.enumerated() {
            _ = broker.received(
                decoded(.hello(Hello(role: "executor", pid: Int32(200 + instance), instance: instance))),
                from: connection, now: .zero)
            _ = broker.received(decoded(.ready), from: connection, now: .zero)
        }
        return broker
    }

    /// The connections that were sent a given command id, in order.
    func targets(_ actions: [Broker.Action], of message: IPCMessage) -> [Int] {
        actions.compactMap { if case .send(let c, let bytes) = $0, bytes == message.frame() { c } else { nil } }
    }

    @Test func sameKeyGoesToTheSameExecutor() {
        var b = broker()
        var chosen: [String: Set<Int>] = [:]
        for i in 0..<40 {
            let name = "run-\(i % 8)"
            let c = command("c\(i)", name)
            let actions = b.received(decoded(c), from: Self.watcher, now: .milliseconds(i))
            for target in targets(actions, of: c) { chosen[name, default: []].insert(target) }
            _ = b.received(decoded(result("c\(i)")), from: targets(actions, of: c).first ?? 0, now: .milliseconds(i))
        }
        #expect(chosen.count == 8)
        #expect(chosen.values.allSatisfy { $0.count == 1 })
        #expect(Set(chosen.values.flatMap { $0 }) == [Self.e0, Self.e1], "8 keys spread over both executors")
    }

    @Test func workWaitsForReadyExecutors() {
        var b = broker(executors: [])
        #expect(b.received(decoded(command("c1", "a")), from: Self.watcher, now: .zero).isEmpty)
        _ = b.received(decoded(.hello(Hello(role: "executor", pid: 5, instance: 0))), from: Self.e0, now: .zero)
        let actions = b.received(decoded(.ready), from: Self.e0, now: .zero)
        #expect(targets(actions, of: command("c1", "a")) == [Self.e0])
    }

    @Test func deadExecutorsCommandsAreRedispatchedAndAnsweredExactlyOnce() {
        var b = broker()
        var holder: [String: Int] = [:]
        for i in 0..<10 {
            let actions = b.received(decoded(command("c\(i)", "run-\(i)")), from: Self.watcher, now: .zero)
            holder["c\(i)"] = targets(actions, of: command("c\(i)", "run-\(i)")).first
        }
        let victims = holder.filter { $0.value == Self.e0 }.keys.sorted()
        #expect(!victims.isEmpty)
        let actions = b.disconnected(Self.e0, now: .seconds(1))
        for id in victims {
            #expect(targets(actions, of: command(id, "run-\(id.dropFirst())")) == [Self.e1])
        }
        var answers: [String: Int] = [:]
        for id in holder.keys.sorted() {
            // The dead executor's late answer would be dropped; the live one's reaches the watcher.
            for action in b.received(decoded(result(id)), from: Self.e1, now: .seconds(2)) {
                if case .send(Self.watcher, let bytes) = action, bytes == result(id).frame() {
                    answers[id, default: 0] += 1
                }
            }
        }
        #expect(answers == Dictionary(uniqueKeysWithValues: holder.keys.map { ($0, 1) }))
        #expect(b.ledger.isEmpty)
        #expect(b.pendingCount == 0)
    }

    @Test func overloadKeepsOrderPerKeyAndCountsExactly() {
        var b = broker(executors: [Self.e0], limits: .init(queueLimit: 5000, perExecutor: 2))
        for i in 0..<3000 { _ = b.received(decoded(command("c\(i)", "k\(i % 3)")), from: Self.watcher, now: .zero) }
        #expect(b.pendingCount == 2998)
        var order: [String] = []
        var inFlight = b.ledger.filter { $0.value.executor != nil }.keys.sorted {
            Int($0.dropFirst())! < Int($1.dropFirst())!
        }
        while let next = inFlight.first {
            inFlight.removeFirst()
            order.append(next)
            for action in b.received(decoded(result(next)), from: Self.e0, now: .zero) {
                if case .send(Self.e0, let bytes) = action,
                    case .command(let c) = try? IPCMessage(
                        payload: Array(bytes.drop { $0 != 0x0a }.dropFirst().dropLast()))
                {
                    inFlight.append(c.id)
                }
            }
        }
        #expect(order.count == 3000)
        #expect(b.pendingCount == 0 && b.ledger.isEmpty)
        for key in 0..<3 {
            let ids = order.filter { Int($0.dropFirst())! % 3 == key }.map { Int($0.dropFirst())! }
            #expect(ids == ids.sorted(), "key k\(key) kept its order")
        }
    }

    @Test func resultFromAnExecutorThatDoesNotHoldTheCommandIsDropped() {
        var b = broker()
        let actions = b.received(decoded(command("c1", "a")), from: Self.watcher, now: .zero)
        let holder = targets(actions, of: command("c1", "a")).first!
        let other = holder == Self.e0 ? Self.e1 : Self.e0
        #expect(b.received(decoded(result("c1")), from: other, now: .zero) == [.log(.strayResult(other, id: "c1"))])
        #expect(
            b.received(decoded(result("c1")), from: holder, now: .seconds(1)).contains(
                .send(Self.watcher, result("c1").frame())))
        #expect(
            b.received(decoded(result("c1")), from: holder, now: .seconds(1)) == [.log(.strayResult(holder, id: "c1"))])
    }

    @Test func fullQueueAnswersBusy() {
        var b = broker(executors: [], limits: .init(queueLimit: 2))
        _ = b.received(decoded(command("c1", "a")), from: Self.watcher, now: .zero)
        _ = b.received(decoded(command("c2", "b")), from: Self.watcher, now: .zero)
        let busy = IPCMessage.result(ResultEnvelope(id: "c3", error: "busy")).frame()
        #expect(b.received(decoded(command("c3", "c")), from: Self.watcher, now: .zero) == [.send(Self.watcher, busy)])
        #expect(b.pending == ["c1", "c2"])
    }

    @Test func perExecutorLimitBlocksOnlyThatKeyAndKeepsOrder() {
        var b = broker(executors: [Self.e0], limits: .init(perExecutor: 1))
        _ = b.received(decoded(command("c1", "a")), from: Self.watcher, now: .zero)
        #expect(b.received(decoded(command("c2", "a")), from: Self.watcher, now: .zero).isEmpty)
        let actions = b.received(decoded(result("c1")), from: Self.e0, now: .zero)
        #expect(targets(actions, of: command("c2", "a")) == [Self.e0])
    }

    @Test func drainAnswersNewCommandsAndReportsOnceEmpty() {
        var b = broker()
        let actions = b.received(decoded(command("c1", "a")), from: Self.watcher, now: .zero)
        let holder = targets(actions, of: command("c1", "a")).first!
        let stop = b.stopRouting()
        #expect(stop.contains(.send(Self.watcher, IPCMessage.shutdown.frame())))
        #expect(!stop.contains(.drained))
        let refused = IPCMessage.result(ResultEnvelope(id: "c2", error: "shutting-down")).frame()
        #expect(
            b.received(decoded(command("c2", "b")), from: Self.watcher, now: .zero) == [.send(Self.watcher, refused)])
        #expect(b.received(decoded(result("c1")), from: holder, now: .zero).last == .drained)
    }

    @Test(arguments: [
        (IPCMessage.ready, "first message must be hello"),
        (IPCMessage.hello(Hello(role: "intruder", pid: 1)), "unknown role \"intruder\""),
    ])
    func badFirstMessageClosesTheConnection(message: IPCMessage, reason: String) {
        var b = Broker()
        #expect(b.received(decoded(message), from: 9, now: .zero) == [.close(9, reason: reason)])
    }

    @Test func heartbeatTimeoutDisconnectsSilentWorkersOnly() {
        var b = broker(executors: [Self.e0], limits: .init(heartbeatTimeout: .seconds(15)))
        _ = b.received(decoded(.hello(Hello(role: "ctl", pid: 1))), from: 50, now: .zero)
        _ = b.received(decoded(.heartbeat), from: Self.e0, now: .seconds(10))
        #expect(
            b.tick(now: .seconds(16)) == [
                .close(Self.watcher, reason: "no heartbeat for 15.0 seconds"), .unresponsive(pid: 100),
            ])
    }

    @Test func duplicateIDIsRefused() {
        var b = broker()
        _ = b.received(decoded(command("c1", "a")), from: Self.watcher, now: .zero)
        let refused = IPCMessage.result(ResultEnvelope(id: "c1", error: "duplicate-id")).frame()
        #expect(
            b.received(decoded(command("c1", "a")), from: Self.watcher, now: .zero) == [.send(Self.watcher, refused)])
    }
}

/// Lanes: commands are routed to an executor once, on acceptance; what waits moves only when
/// its executor leaves, and a forgotten command never stands in for a later one with its id.
@Suite struct BrokerLaneTests {
    let helper = BrokerTests()
    static let watcher = BrokerTests.watcher, other = 9, e0 = BrokerTests.e0, e1 = BrokerTests.e1

    func sentCommands(_ actions: [Broker.Action], to executor: Int) -> [String] {
        actions.compactMap {
            guard case .send(let c, let bytes) = $0, c == executor,
                case .command(let command)? = try? IPCMessage(
                    payload: Array(bytes.drop { $0 != 0x0a }.dropFirst().dropLast()))
            else { return nil }
            return command.id
        }
    }

    @Test func waitingAndHeldCommandsOfADeadExecutorGoFirstToTheSurvivorInOrder() throws {
        var b = helper.broker(limits: .init(perExecutor: 2))
        var holder: [String: Int] = [:]
        for i in 0..<24 {
            let actions = b.received(
                helper.decoded(helper.command("c\(i)", "k\(i % 8)")), from: Self.watcher, now: .milliseconds(i))
            for e in [Self.e0, Self.e1] { for id in sentCommands(actions, to: e) { holder[id] = e } }
        }
        #expect(holder.count == 4, "two held by each executor, the rest wait in lanes")
        #expect(b.pendingCount == 20)
        let dead = try #require(holder["c0"])
        let survivor = dead == Self.e0 ? Self.e1 : Self.e0
        let deadKeys = Set(b.keyOwners.filter { $0.value.executor == dead }.keys.map(\.name))
        let deadIDs = (0..<24).filter { deadKeys.contains("k\($0 % 8)") }.map { "c\($0)" }
        let actions = b.disconnected(dead, now: .seconds(1))
        #expect(sentCommands(actions, to: survivor).isEmpty, "the survivor is full: its lane takes them")
        var order: [String] = []
        var inFlight = holder.filter { $0.value == survivor }.keys.sorted()
        while let next = inFlight.first {
            inFlight.removeFirst()
            order.append(next)
            inFlight += sentCommands(
                b.received(helper.decoded(helper.result(next)), from: survivor, now: .seconds(2)), to: survivor)
        }
        #expect(order.count == 24 && b.ledger.isEmpty && b.pendingCount == 0)
        for key in 0..<8 {
            let ids = order.compactMap { Int($0.dropFirst()) }.filter { $0 % 8 == key }
            #expect(ids == ids.sorted(), "key k\(key) kept its order across the re-dispatch")
        }
        #expect(
            order.dropFirst(2).prefix(deadIDs.count) == ArraySlice(deadIDs),
            "the dead executor's commands, oldest first, went before the survivor's own waiting ones")
    }

    @Test func aForgottenCommandDoesNotStandInForALaterOneWithItsID() {
        var b = helper.broker(executors: [Self.e0], limits: .init(perExecutor: 1))
        _ = b.received(helper.decoded(.hello(Hello(role: "ctl", pid: 7))), from: Self.other, now: .zero)
        _ = b.received(helper.decoded(helper.command("busy", "a")), from: Self.watcher, now: .zero)
        _ = b.received(helper.decoded(helper.command("x", "b")), from: Self.other, now: .zero)
        _ = b.disconnected(Self.other, now: .zero)  // "x" waited: forgotten, its lane entry is dead
        #expect(b.pendingCount == 0)
        _ = b.received(helper.decoded(helper.command("y", "b")), from: Self.watcher, now: .zero)
        _ = b.received(helper.decoded(helper.command("x", "b")), from: Self.watcher, now: .zero)
        #expect(b.pending == ["y", "x"])
        var order: [String] = []
        var next = "busy"
        while true {
            let sent = sentCommands(
                b.received(helper.decoded(helper.result(next)), from: Self.e0, now: .zero), to: Self.e0)
            guard let id = sent.first else { break }
            order.append(id)
            next = id
        }
        #expect(order == ["y", "x"], "key b's order holds: the dead entry of the first x is skipped")
    }

    @Test func aFullExecutorDoesNotHoldBackTheOther() {
        var b = helper.broker(limits: .init(perExecutor: 1))
        var first: [Int: String] = [:]
        var later: [Int: [String]] = [:]
        for i in 0..<20 {
            let actions = b.received(helper.decoded(helper.command("c\(i)", "k\(i)")), from: Self.watcher, now: .zero)
            for e in [Self.e0, Self.e1] {
                for id in sentCommands(actions, to: e) {
                    if first[e] == nil { first[e] = id } else { later[e, default: []].append(id) }
                }
            }
        }
        #expect(first.count == 2 && later.isEmpty, "one each, the rest wait")
        let held = first[Self.e0]!
        let actions = b.received(helper.decoded(helper.result(held)), from: Self.e0, now: .zero)
        #expect(sentCommands(actions, to: Self.e0).count == 1)
        #expect(sentCommands(actions, to: Self.e1).isEmpty, "e1 is still full")
    }
}
