import Foundation
import KubeJSON
import Logging
import NIOConcurrencyHelpers

/// The simulated cluster behind kubesim's API: nodes with a kubelet, the scheduler, and the
/// controllers that end pods (node lifecycle and taint manager, pod GC), optionally running
/// pods automatically by a policy or as real local processes.
///
/// Tests drive it through methods (`schedule`, `start`, `terminate`, `evict`, `loseNode`…);
/// humans through `/kubesim/cluster/...` (see `ControlAPI`). Every method returns once the
/// cluster has reacted to what it did (watch events it caused included), so tests need no
/// polling except for real local processes.
///
/// Concurrency: all cluster state lives on one serial queue (`queue`); store watch events are
/// enqueued there, never handled under the store's lock. Public methods hop onto the queue
/// with `sync` and must not be called from it.
public final class SimCluster: @unchecked Sendable {
    /// How the cluster behaves.
    public struct Configuration: Sendable {
        /// The clock of timers and status timestamps.
        public var clock: ClusterClock
        /// Nodes registered at start (`kubesim-node-1`…).
        public var nodes: Int
        /// When set, every new pod is scheduled and run by this policy (automatic mode).
        public var autoPolicy: AutoPolicy?
        /// When set, containers really run as local processes.
        public var localRuntime: LocalRuntimeConfiguration?

        public init(
            clock: ClusterClock = .system, nodes: Int = 0, autoPolicy: AutoPolicy? = nil,
            localRuntime: LocalRuntimeConfiguration? = nil
        ) {
            self.clock = clock
            self.nodes = nodes
            self.autoPolicy = autoPolicy
            self.localRuntime = localRuntime
        }
    }

    /// A node whose kubelet kubesim plays.
    struct NodeState {
        var index: Int
        var reachable = true
    }

    let store: ObjectStore
    let clock: ClusterClock
    let queue = DispatchQueue(label: "kubesim.cluster")
    let logger = Logger(label: "kubesim.cluster")
    private let pending = NIOLockedValueBox(0)
    private let watchTokens = NIOLockedValueBox<[WatchToken]>([])

    // Queue-confined state.
    var nodes: [String: NodeState] = [:]
    var nextNodeIndex = 1
    var nextPodIP = 1
    var timers = TimerQueue()
    var terminating: Set<String> = []
    var autoPolicy: AutoPolicy?
    var runtime: LocalRuntime?
    var nextAutoNode = 0
    var autoHandled: Set<String> = []

    /// Creates the cluster over `store` and starts watching pods and nodes.
    public init(store: ObjectStore, configuration: Configuration = .init()) {
        self.store = store
        self.clock = configuration.clock
        self.autoPolicy = configuration.autoPolicy
        if let runtimeConfiguration = configuration.localRuntime {
            runtime = LocalRuntime(configuration: runtimeConfiguration)
        }
        runtime?.onExit = { [weak self] key, exit in self?.enqueue { $0.containerExited(key, exit) } }
        if configuration.autoPolicy != nil || configuration.localRuntime != nil { activate() }
        for _ in 0..<configuration.nodes { _ = try? addNode() }
    }

    /// Starts watching pods and nodes. Lazily, on the first node or automatic mode: a kubesim
    /// without nodes behaves exactly as a bare API server (no watches of its own).
    func activate() {
        watchTokens.withLockedValue { tokens in
            guard tokens.isEmpty else { return }
            let since = String(store.resourceVersion)
            for resource in [GroupResource.pods, .nodes] {
                let token = try? store.watch(resource, namespace: nil, options: .init(resourceVersion: since)) {
                    [weak self] event in
                    self?.enqueue { $0.observe(event) }
                }
                if let token { tokens.append(token) }
            }
        }
    }

    /// Stops watching and kills every local process (SIGKILL) — call before dropping the store.
    public func shutdown() {
        watchTokens.withLockedValue { tokens in
            tokens.forEach(store.stopWatch)
            tokens.removeAll()
        }
        queue.sync { runtime?.killAll() }
    }

    /// Switches automatic mode on (with `policy`) or off (nil) at run time.
    public func setAutoPolicy(_ policy: AutoPolicy?) {
        if policy != nil { activate() }
        queue.sync { autoPolicy = policy }
    }

    /// Waits until the cluster has handled everything that happened so far.
    public func settle() {
        while queue.sync(execute: { pending.withLockedValue { $0 } }) > 0 {}
    }

    /// Moves a manual clock forward, firing due timers in order (a no-op for the system clock
    /// beyond running timers already due).
    public func advance(by seconds: Double) {
        let target = clock.now().addingTimeInterval(seconds)
        while let due = queue.sync(execute: { timers.nextDue }), due <= target {
            if case .manual(let manual) = clock { manual.set(due) }
            queue.sync { runDueTimers() }
            settle()
        }
        if case .manual(let manual) = clock { manual.set(target) }
        settle()
    }

    // MARK: internals (queue)

    /// Runs `work` on the queue, counted so `settle()` can wait for it.
    func enqueue(_ work: @escaping @Sendable (SimCluster) -> Void) {
        pending.withLockedValue { $0 += 1 }
        queue.async {
            work(self)
            self.pending.withLockedValue { $0 -= 1 }
        }
    }

    /// Runs `body` on the queue and waits for the cluster's reactions.
    func perform<T>(_ body: () throws -> T) throws -> T {
        let result = try queue.sync(execute: body)
        settle()
        return result
    }

    var now: String { KubeTime.format(clock.now()) }

    /// Schedules `action` `seconds` from now (on the queue), replacing any timer named `key`.
    func schedule(_ key: String, after seconds: Double, _ action: @escaping () -> Void) {
        let due = clock.now().addingTimeInterval(seconds)
        timers.schedule(key, at: due, action)
        if !clock.isManual {
            queue.asyncAfter(deadline: .now() + max(0, seconds)) { [weak self] in self?.runDueTimers() }
        }
    }

    func runDueTimers() {
        while let entry = timers.popDue(clock.now()) { entry.action() }
    }

    /// Writes a pod's status (as the kubelet or a controller would); a vanished pod is ignored.
    @discardableResult
    func writeStatus(_ namespace: String, _ name: String, _ build: (JSONValue) -> JSONValue) -> JSONValue? {
        try? store.mutate(.pods, namespace: namespace, name: name, subresource: .status) { pod in
            pod["status"] = build(pod)
        }
    }

    func pod(_ namespace: String, _ name: String) throws -> JSONValue {
        try store.get(.pods, namespace: namespace, name: name)
    }
}
