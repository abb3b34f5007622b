import BenchHarness
import Foundation
import Synchronization

/// Kills parts of the operator tree at random moments (kill -9): the watcher, an executor, the
/// gc, and a few times the whole tree (which it then restarts, as Kubernetes would restart the
/// pod). A supervisor that exits by itself is restarted too, and counted.
final class Disruptor: Sendable {
    struct Counts: Sendable {
        var byTarget: [String: Int] = [:]
        var supervisorExits = 0
    }

    private let tree: OperatorTree
    private let flag = StopFlag()
    private let counts = Mutex(Counts())
    private let task = Mutex<Task<Void, Never>?>(nil)

    init(tree: OperatorTree) { self.tree = tree }

    func start(seed: UInt64, meanSeconds: Double, treeKills: Int) {
        let handle = Task.detached { [self] in
            var random = SeededRandom(seed: seed)
            var treeKillsLeft = treeKills
            while flag.isSet {
                let wait = random.exponential(mean: meanSeconds)
                if !(await sleepWatching(seconds: wait)) { return }
                let roll = Int.random(in: 0..<10, using: &random)
                if roll == 0, treeKillsLeft > 0 {
                    treeKillsLeft -= 1
                    killTree()
                } else {
                    let role: OperatorTree.Role = roll < 4 ? .executor : (roll < 7 ? .watcher : .gc)
                    killWorker(role, using: &random)
                }
            }
        }
        task.withLock { $0 = handle }
    }

    /// Sleeps, restarting the supervisor if it exits meanwhile; false once stopped.
    private func sleepWatching(seconds: Double) async -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            guard flag.isSet else { return false }
            restartIfExited()
            try? await Task.sleep(for: .milliseconds(20))
        }
        return flag.isSet
    }

    func restartIfExited() {
        guard !tree.isRunning else { return }
        counts.withLock { $0.supervisorExits += 1 }
        try? tree.start()
    }

    private func killWorker(_ role: OperatorTree.Role, using random: inout SeededRandom) {
        let pids = tree.workers(role)
        guard let victim = pids.randomElement(using: &random) else { return }
        kill(victim, SIGKILL)
        counts.withLock { $0.byTarget[role.rawValue, default: 0] += 1 }
    }

    private func killTree() {
        tree.killAll()
        counts.withLock { $0.byTarget["whole tree", default: 0] += 1 }
        try? tree.start()
    }

    func stop() async {
        flag.clear()
        await task.withLock { $0 }?.value
        restartIfExited()
    }

    var snapshot: Counts { counts.withLock { $0 } }
}
