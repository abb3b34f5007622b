import Testing

@testable import Supervisor

/// The process tree as a state machine: inputs with explicit times, actions compared exactly.
@Suite struct SupervisionTreeTests {
    static let executor = ChildSpec(role: "executor", executable: "/bin/e", count: 2, shutdownTimeout: .seconds(2))
    static let watcher = ChildSpec(role: "watcher", executable: "/bin/w", shutdownTimeout: .seconds(2))
    static let e0 = ChildID(role: "executor", instance: 0)
    static let e1 = ChildID(role: "executor", instance: 1)
    static let w0 = ChildID(role: "watcher", instance: 0)

    func started(maxRestarts: Int = 3) -> SupervisionTree {
        var tree = SupervisionTree(
            specs: [Self.executor, Self.watcher],
            settings: .init(maxRestarts: maxRestarts, restartPeriod: .seconds(60), shutdownGrace: .seconds(10)))
        #expect(tree.start(now: .zero) == [.spawn(Self.e0), .spawn(Self.e1), .spawn(Self.w0)])
        _ = tree.spawned(Self.e0, pid: 10, now: .zero)
        _ = tree.spawned(Self.e1, pid: 11, now: .zero)
        _ = tree.spawned(Self.w0, pid: 12, now: .zero)
        return tree
    }

    @Test func crashIsRestartedAfterGrowingDelays() {
        var tree = started(maxRestarts: 10)
        var now = Duration.seconds(1)
        var delays: [Duration] = []
        for pid in Int32(20)..<24 {
            let actions = tree.exited(Self.e0, status: .exited(1), now: now)
            guard case .log(.willRestart(_, _, let delay)) = actions.first else {
                Issue.record("\(actions)")
                return
            }
            delays.append(delay)
            #expect(tree.nextDeadline == now + delay)
            #expect(tree.tick(now: now + delay - .milliseconds(1)) == [])
            now += delay
            #expect(tree.tick(now: now) == [.spawn(Self.e0)])
            _ = tree.spawned(Self.e0, pid: pid, now: now)
        }
        #expect(delays == [.milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800)])
        #expect(tree.children[0].restarts == 4)
    }

    @Test func crashLoopBeyondIntensityStopsTheTreeWithExitCode1() {
        var tree = started(maxRestarts: 2)
        _ = tree.exited(Self.e0, status: .exited(1), now: .seconds(1))
        _ = tree.tick(now: .seconds(2))
        _ = tree.spawned(Self.e0, pid: 20, now: .seconds(2))
        _ = tree.exited(Self.e0, status: .exited(1), now: .seconds(3))
        _ = tree.tick(now: .seconds(4))
        _ = tree.spawned(Self.e0, pid: 21, now: .seconds(4))
        let actions = tree.exited(Self.e0, status: .signaled(9), now: .seconds(5))
        #expect(
            actions == [
                .log(.intensityExceeded(Self.e0, .signaled(9), restarts: 3, period: .seconds(60))),
                .stopRouting, .terminate(Self.w0),
            ])
        #expect(tree.exited(Self.w0, status: .exited(0), now: .seconds(5)).last == .terminate(Self.e1))
        #expect(
            tree.exited(Self.e1, status: .exited(0), now: .seconds(6)) == [
                .log(.exitedDuringShutdown(Self.e1, .exited(0))), .log(.finished(exitCode: 1)), .exit(code: 1),
            ])
    }

    @Test func exit100OfAPermanentChildIsNotRestartedAndEndsTheTree() {
        var tree = started()
        let actions = tree.exited(Self.w0, status: .exited(100), now: .seconds(1))
        #expect(actions.first == .log(.permanentChildGaveUp(Self.w0, .exited(100))))
        #expect(actions.contains(.terminate(Self.e1)))
        #expect(!actions.contains(.spawn(Self.w0)))
    }

    @Test func transientAndTemporaryChildren() {
        let transient = ChildSpec(role: "job", executable: "/bin/j", restart: .transient)
        let temporary = ChildSpec(role: "once", executable: "/bin/o", restart: .temporary)
        var tree = SupervisionTree(specs: [transient, temporary], settings: .init())
        _ = tree.start(now: .zero)
        _ = tree.spawned(ChildID(role: "job"), pid: 1, now: .zero)
        _ = tree.spawned(ChildID(role: "once"), pid: 2, now: .zero)
        #expect(
            tree.exited(ChildID(role: "job"), status: .exited(0), now: .seconds(1)) == [
                .log(.notRestarted(ChildID(role: "job"), .exited(0)))
            ])
        #expect(
            tree.exited(ChildID(role: "once"), status: .exited(3), now: .seconds(1)) == [
                .log(.notRestarted(ChildID(role: "once"), .exited(3)))
            ])
        #expect(tree.nextDeadline == nil)
    }

    @Test func sigtermDrainsThenStopsInReverseOrderAndKillsAtDeadline() {
        var tree = started()
        #expect(
            tree.requestShutdown(now: .seconds(1), reason: "SIGTERM") == [
                .log(.shutdownRequested("SIGTERM")), .stopRouting,
            ])
        #expect(tree.nextDeadline == .seconds(6))
        #expect(tree.requestShutdown(now: .seconds(1), reason: "SIGTERM") == [])
        #expect(tree.brokerDrained(now: .seconds(2)) == [.terminate(Self.w0)])
        // The watcher ignores SIGTERM: SIGKILL at its shutdown timeout (2 s).
        #expect(tree.nextDeadline == .seconds(4))
        #expect(tree.tick(now: .seconds(4)) == [.kill(Self.w0)])
        #expect(tree.exited(Self.w0, status: .signaled(9), now: .seconds(4)).last == .terminate(Self.e1))
        #expect(tree.exited(Self.e1, status: .exited(0), now: .seconds(5)).last == .terminate(Self.e0))
        #expect(tree.exited(Self.e0, status: .exited(0), now: .seconds(5)).last == .exit(code: 0))
        #expect(tree.phase == .finished(exitCode: 0))
    }

    @Test func drainDeadlineStopsChildrenEvenWithCommandsInFlight() {
        var tree = started()
        _ = tree.requestShutdown(now: .zero, reason: "SIGINT")
        #expect(tree.tick(now: .seconds(4)) == [])
        #expect(tree.tick(now: .seconds(5)) == [.log(.drainTimedOut), .terminate(Self.w0)])
    }

    @Test func restartPendingAtShutdownIsCancelled() {
        var tree = started()
        _ = tree.exited(Self.e0, status: .exited(1), now: .seconds(1))
        _ = tree.requestShutdown(now: .seconds(1), reason: "SIGTERM")
        #expect(tree.children[0].phase == .stopped)
        #expect(tree.brokerDrained(now: .seconds(1)) == [.terminate(Self.w0)])
    }

    @Test(arguments: [
        (ChildSpec(role: "", executable: "/x"), "role is empty"),
        (ChildSpec(role: "w", executable: "relative"), "is not an absolute path"),
        (ChildSpec(role: "w", executable: "/x", count: 0), "count 0 is below 1"),
    ])
    func specValidationNamesTheField(spec: ChildSpec, problem: String) {
        #expect(spec.problems().contains { $0.contains(problem) })
    }
}
