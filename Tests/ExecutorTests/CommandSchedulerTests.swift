import Foundation
import Shared
import Testing

@testable import Executor

/// The executor's choice of what to perform next: per-OMJob order, the concurrency limit, and
/// exit handlers ahead of bookkeeping.
@Suite struct CommandSchedulerTests {
    typealias Scheduler = CommandScheduler<String>

    static func key(_ name: String) -> ObjectKey { ObjectKey(namespace: "ns", name: name) }

    @Test func oneOMJobsCommandsRunOneAtATimeInArrivalOrder() {
        var s = Scheduler(limit: 8)
        #expect(s.add("a1", key: Self.key("a"), urgency: .normal) == ["a1"])
        #expect(s.add("a2", key: Self.key("a"), urgency: .normal) == [])
        #expect(
            s.add("a3", key: Self.key("a"), urgency: .urgent) == [],
            "urgent never overtakes its own OMJob's earlier command")
        #expect(s.finish(key: Self.key("a")) == ["a2"])
        #expect(s.finish(key: Self.key("a")) == ["a3"])
        #expect(s.finish(key: Self.key("a")) == [])
        #expect(s.running == 0)
    }

    @Test func noMoreThanTheLimitRunAtOnce() {
        var s = Scheduler(limit: 2)
        #expect(s.add("a", key: Self.key("a"), urgency: .normal) == ["a"])
        #expect(s.add("b", key: Self.key("b"), urgency: .normal) == ["b"])
        #expect(s.add("c", key: Self.key("c"), urgency: .normal) == [])
        #expect(s.running == 2)
        #expect(s.waiting == 1)
        #expect(s.finish(key: Self.key("a")) == ["c"])
        #expect(s.running == 2)
    }

    @Test func anExitHandlerOvertakesWaitingBookkeepingOfOtherOMJobs() {
        var s = Scheduler(limit: 1)
        #expect(s.add("status-a", key: Self.key("a"), urgency: .normal) == ["status-a"])
        #expect(s.add("finalizer-b", key: Self.key("b"), urgency: .normal) == [])
        #expect(s.add("status-c", key: Self.key("c"), urgency: .normal) == [])
        #expect(s.add("exit-pod-d", key: Self.key("d"), urgency: .urgent) == [])
        #expect(s.finish(key: Self.key("a")) == ["exit-pod-d"])
        #expect(s.finish(key: Self.key("d")) == ["finalizer-b"], "the rest keep their arrival order")
        #expect(s.finish(key: Self.key("b")) == ["status-c"])
    }

    /// An urgent command waiting behind its own OMJob's running command competes as urgent once
    /// its turn comes.
    @Test func anUrgentCommandKeepsItsUrgencyWhenItsTurnComes() {
        var s = Scheduler(limit: 1)
        #expect(s.add("a1", key: Self.key("a"), urgency: .normal) == ["a1"])
        #expect(s.add("a2-exit", key: Self.key("a"), urgency: .urgent) == [])
        #expect(s.add("b1", key: Self.key("b"), urgency: .normal) == [])
        #expect(s.finish(key: Self.key("a")) == ["a2-exit"], "b1 waited longer, but a2's turn made it ready as urgent")
        #expect(s.finish(key: Self.key("a")) == ["b1"])
    }

    @Test(arguments: [1, 3, 64, 1000])
    func everyCommandRunsExactlyOnceWhateverTheLimit(limit: Int) {
        var s = Scheduler(limit: limit)
        var started: [String] = []
        var running: [(String, ObjectKey)] = []
        for i in 0..<500 {
            let key = Self.key("k\(i % 37)")
            for item in s.add("c\(i)", key: key, urgency: i % 5 == 0 ? .urgent : .normal) {
                started.append(item)
                running.append((item, keyOf(item)))
            }
            #expect(s.running <= limit)
            if i % 3 == 0, !running.isEmpty {
                let done = running.removeFirst()
                for item in s.finish(key: done.1) {
                    started.append(item)
                    running.append((item, keyOf(item)))
                }
            }
        }
        while !running.isEmpty {
            let done = running.removeFirst()
            for item in s.finish(key: done.1) {
                started.append(item)
                running.append((item, keyOf(item)))
            }
        }
        #expect(started.count == 500)
        #expect(Set(started).count == 500)
        #expect(s.running == 0 && s.waiting == 0)
        // Per key, arrival order held.
        for k in 0..<37 {
            let order = started.compactMap { Int($0.dropFirst()) }.filter { $0 % 37 == k }
            #expect(order == order.sorted(), "key k\(k)")
        }
    }

    private func keyOf(_ item: String) -> ObjectKey { Self.key("k\(Int(item.dropFirst())! % 37)") }
}

/// Which received commands count as urgent, from real command frames.
@Suite struct CommandUrgencyTests {
    static let key = ObjectKey(namespace: "ns", name: "run")

    static func frame(_ action: CommandAction) throws -> ReceivedCommandFrame {
        let command = Command(id: "uid/x", key: key, omJobUID: "uid", action: action)
        // What the session hands over: the frame's JSON, without its length line and final newline.
        let framed = try CommandFrame.encode(id: command.id, key: key, payload: command)
        let json = Array(framed[(framed.firstIndex(of: UInt8(ascii: "\n"))! + 1)..<(framed.count - 1)])
        let envelope = CommandEnvelope(id: command.id, key: key, payload: .null)
        return ReceivedCommandFrame(envelope: envelope, frame: json)
    }

    static func pod(_ name: String) -> Pod {
        Pod(
            metadata: ObjectMeta(name: name, namespace: "ns"),
            spec: PodSpec(containers: [Container(name: "main", image: "i")]))
    }

    static let cases: [(String, CommandAction, CommandScheduler<ReceivedCommandFrame>.Urgency)] = [
        ("exit-handler pod", .createPod(CreatePod(pod: pod("run-exit"), podType: .exitHandler, attempt: 1)), .urgent),
        (
            "exit-handler retry", .createPod(CreatePod(pod: pod("run-exit-2"), podType: .exitHandler, attempt: 2)),
            .urgent
        ),
        (
            "fresh read before an ending",
            .confirmPodAbsent(
                ConfirmPodAbsent(
                    podName: "run-main", podUID: nil,
                    thenPatch: PatchOMJobStatus(resourceVersion: "1", status: OMJobStatus()))), .urgent
        ),
        ("main pod", .createPod(CreatePod(pod: pod("run-main"), podType: .main, attempt: 1)), .normal),
        ("status", .patchOMJobStatus(PatchOMJobStatus(resourceVersion: "1", status: OMJobStatus())), .normal),
        (
            "delete", .deletePod(DeletePod(name: "run-main", uid: "u", gracePeriodSeconds: nil, resourceVersion: nil)),
            .normal
        ),
    ]

    @Test(arguments: cases)
    func urgency(name: String, action: CommandAction, expected: CommandScheduler<ReceivedCommandFrame>.Urgency) throws {
        #expect(try Self.frame(action).urgency == expected, "\(name)")
    }

    @Test func anUndecodableFrameIsNormalAndKeptAsItsError() {
        let received = ReceivedCommandFrame(
            envelope: CommandEnvelope(id: "x", key: Self.key, payload: .null), frame: Array("{\"v\":1".utf8))
        #expect(received.urgency == .normal)
        guard case .failure = received.command else {
            Issue.record("decoded a broken frame")
            return
        }
    }
}
