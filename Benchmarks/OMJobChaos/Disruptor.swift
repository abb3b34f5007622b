import BenchHarness
import Foundation
import Synchronization

/// Kills parts of the operator trees at random moments (kill -9): the watcher, an executor, the
/// gc, and a few times a whole tree (which it then restarts, as Kubernetes would restart the
/// pod). A supervisor that exits by itself is restarted too, and counted. With two trees each
/// kill picks one of them and is counted by what that tree was at that moment (leader or
/// standby, by the Lease's holder); a killed whole tree comes back as a new pod (a new
/// identity), so the standby has to take over.
final class Disruptor: Sendable {
    struct Counts: Sendable {
        var byTarget: [String: Int] = [:]
        var supervisorExits = 0
        /// How those supervisors ended, by status.
        var exitStatuses: [String: Int] = [:]
        /// Changes of the Lease's holder seen (to another identity, not to none).
        var leaderChanges = 0
    }

    private let trees: [OperatorTree]
    private let leaseHolder: @Sendable () -> String?
    private let flag = StopFlag()
    private let counts = Mutex(Counts())
    private let lastHolder = Mutex<String?>(nil)
    private let task = Mutex<Task<Void, Never>?>(nil)

    /// `leaseHolder` reads the Lease's `holderIdentity` (nil when there is none).
    init(trees: [OperatorTree], leaseHolder: @escaping @Sendable () -> String? = { nil }) {
        self.trees = trees
        self.leaseHolder = leaseHolder
    }

    func start(seed: UInt64, meanSeconds: Double, treeKills: Int) {
        let handle = Task.detached { [self] in
            var random = SeededRandom(seed: seed)
            var treeKillsLeft = treeKills
            while flag.isSet {
                let wait = random.exponential(mean: meanSeconds)
                if !(await sleepWatching(seconds: wait)) { return }
                let roll = Int.random(in: 0..<10, using: &random)
                let tree = trees[Int.random(in: 0..<trees.count, using: &random)]
                if roll == 0, treeKillsLeft > 0 {
                    treeKillsLeft -= 1
                    killTree(tree)
                } else {
                    let role: OperatorTree.Role = roll < 4 ? .executor : (roll < 7 ? .watcher : .gc)
                    killWorker(role, of: tree, using: &random)
                }
            }
        }
        task.withLock { $0 = handle }
    }

    /// Sleeps, restarting a supervisor that exits meanwhile and following the Lease's holder;
    /// false once stopped.
    private func sleepWatching(seconds: Double) async -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            guard flag.isSet else { return false }
            restartIfExited()
            followHolder()
            try? await Task.sleep(for: .milliseconds(20))
        }
        return flag.isSet
    }

    private func followHolder() {
        guard trees.count > 1, let holder = leaseHolder(), !holder.isEmpty else { return }
        let changed = lastHolder.withLock { last -> Bool in
            defer { last = holder }
            return last != nil && last != holder
        }
        if changed { counts.withLock { $0.leaderChanges += 1 } }
    }

    func restartIfExited() {
        for tree in trees where !tree.isRunning {
            let status = tree.lastExit ?? "unknown"
            counts.withLock {
                $0.supervisorExits += 1
                $0.exitStatuses[status, default: 0] += 1
            }
            try? tree.start()
        }
    }

    /// "leader " or "standby " before a target when there are several trees.
    private func standing(of tree: OperatorTree) -> String {
        guard trees.count > 1 else { return "" }
        return leaseHolder() == tree.identity ? "leader " : "standby "
    }

    private func killWorker(_ role: OperatorTree.Role, of tree: OperatorTree, using random: inout SeededRandom) {
        let pids = tree.workers(role)
        guard let victim = pids.randomElement(using: &random) else { return }
        let target = standing(of: tree) + role.rawValue
        kill(victim, SIGKILL)
        counts.withLock { $0.byTarget[target, default: 0] += 1 }
    }

    private func killTree(_ tree: OperatorTree) {
        let target = standing(of: tree) + "whole tree"
        tree.killAll()
        counts.withLock { $0.byTarget[target, default: 0] += 1 }
        try? tree.start(asNewPod: trees.count > 1)
    }

    func stop() async {
        flag.clear()
        await task.withLock { $0 }?.value
        restartIfExited()
    }

    var snapshot: Counts { counts.withLock { $0 } }
}
