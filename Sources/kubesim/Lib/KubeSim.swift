/// kubesim: a Kubernetes API server simulator for tests, benchmarks and the sandbox.
///
/// ## Starting and stopping
/// ```swift
/// let sim = try await KubeSimServer.start(.init(port: 0, token: "t", crdDirectory: "deploy/crds"))
/// defer { Task { try await sim.shutdown() } }   // or `try await sim.shutdown()` at the end
/// sim.port          // the bound port (port 0 picks a free one)
/// sim.baseURL       // "http://127.0.0.1:<port>" (https with TLS)
/// ```
///
/// ## Direct store access (in-process, no HTTP)
/// `sim.store` is the `ObjectStore` behind the HTTP API; every method applies the same rules
/// (defaults, validation, pruning, resourceVersion, watch events) as the API:
/// ```swift
/// let pod = try sim.store.create(.pods, namespace: "default", object: podJSON)
/// let got = try sim.store.get(.pods, namespace: "default", name: "p")
/// try sim.store.patch(.pods, namespace: "default", name: "p", type: .merge, patch: ["status": ["phase": "Running"]], subresource: .status)
/// try sim.store.mutate(.pods, namespace: "default", name: "p", subresource: .status) { $0.set(["status","phase"], "Succeeded") }
/// sim.store.resourceVersion                       // the newest resourceVersion
/// let omjobs = GroupResource(group: "pipelines.openmetadata.org", resource: "omjobs")
/// try sim.store.delete(omjobs, namespace: "default", name: "j", options: .init(propagationPolicy: "Foreground"))
/// sim.store.watch(.pods, namespace: nil, options: .init()) { event in … }   // in-process watch
/// try sim.store.appendLog(namespace: "default", pod: "p", container: "main", "hello\n")
/// ```
///
/// ## Fault injection hook
/// `sim.interceptor = { request in request.path.hasSuffix("/pods") ? .respond(.tooManyRequests(retryAfterSeconds: 1)) : nil }`
/// runs before every authenticated request, after kubesim's control endpoints and fault rules.
///
/// ## Layout
/// - `Store/`: `ObjectStore` (objects, resourceVersion, history, watches, delete + GC controllers)
/// - `Resources/`: resource types, per-type strategies, CRD → served type, YAML
/// - `Schema/`: structural schema pruning, defaulting, validation
/// - `Patch/`: merge, JSON and strategic merge patch
/// - `HTTP/`: NIO server, routing, verbs, discovery, watch streams, tables
/// - `Cluster/`: `SimCluster` — nodes, kubelet, scheduler, taint manager, pod GC, automatic mode
///   (`sim.cluster.schedule(…)`, `.start`, `.terminate`, `.evict`, `.loseNode`, `.advance(by:)`)
/// - `Faults/`: `FaultInjector` rules (`sim.faults.add(FaultRule(kind: .tooManyRequests, …))`)
/// - `LocalRuntime/`: pods' commands as local processes, `pods/log?follow=true`
/// - `Control/`: the `/kubesim/...` endpoints; see docs/kubesim-cluster.md
import Foundation
import KubeJSON
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// A running kubesim: an HTTP(S) API server on loopback over an `ObjectStore`.
public final class KubeSimServer: Sendable {
    /// Start-up settings.
    public struct Configuration: Sendable {
        /// 0 picks a free port.
        public var port: Int
        public var host: String
        /// When set, every request needs `Authorization: Bearer <token>` (401 otherwise).
        public var token: String?
        /// YAML files (`*.yaml`, `*.yml`) with CustomResourceDefinitions to load at start.
        public var crdDirectory: String?
        /// PEM certificate chain and key: serve HTTPS instead of HTTP.
        public var tlsCertificatePath: String?
        public var tlsKeyPath: String?
        /// Interval of BOOKMARK events on watches with `allowWatchBookmarks=true`.
        public var bookmarkInterval: Duration
        public var store: StoreConfiguration
        /// Event-loop threads (default: one per core).
        public var threads: Int
        /// The simulated cluster: clock, nodes, automatic mode, local runtime (kubesim part 2).
        public var cluster: SimCluster.Configuration

        public init(
            port: Int = 0, host: String = "127.0.0.1", token: String? = nil, crdDirectory: String? = nil,
            tlsCertificatePath: String? = nil, tlsKeyPath: String? = nil, bookmarkInterval: Duration = .seconds(60),
            store: StoreConfiguration = .init(), threads: Int = System.coreCount,
            cluster: SimCluster.Configuration = .init()
        ) {
            self.port = port
            self.host = host
            self.token = token
            self.crdDirectory = crdDirectory
            self.tlsCertificatePath = tlsCertificatePath
            self.tlsKeyPath = tlsKeyPath
            self.bookmarkInterval = bookmarkInterval
            self.store = store
            self.threads = threads
            self.cluster = cluster
        }
    }

    /// The objects behind the API.
    public let store: ObjectStore
    /// The simulated nodes, kubelet and controllers (`sim.cluster.schedule(…)`, `.terminate(…)`…).
    public let cluster: SimCluster
    /// Fault injection rules and counts (also at `/kubesim/faults`).
    public let faults: FaultInjector
    /// The bound port.
    public let port: Int
    /// `http(s)://<host>:<port>`.
    public let baseURL: String
    private let group: MultiThreadedEventLoopGroup
    private let channel: any Channel
    private let interceptorBox: NIOLockedValueBox<InterceptorHolder?>

    /// A hook run before every authenticated request (fault injection); nil serves normally.
    public var interceptor: RequestInterceptor? {
        get { interceptorBox.withLockedValue { $0 }?.hook }
        set { interceptorBox.withLockedValue { $0 = newValue.map(InterceptorHolder.init) } }
    }

    /// Loads the CRDs, binds, and starts serving.
    public static func start(_ configuration: Configuration = .init()) async throws -> KubeSimServer {
        let clock = configuration.cluster.clock
        let store = ObjectStore(configuration: configuration.store, now: { clock.now() })
        if let directory = configuration.crdDirectory { try CRDLoader.load(directory: directory, into: store) }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, configuration.threads))
        let box = NIOLockedValueBox<InterceptorHolder?>(nil)
        let cluster = SimCluster(store: store, configuration: configuration.cluster)
        let faults = FaultInjector()
        let hook = BuiltInHooks.interceptor(
            control: ControlAPI(cluster: cluster, faults: faults), faults: faults, user: box)
        do {
            let channel = try await HTTPServer.bind(configuration, store: store, group: group) { hook }
            return KubeSimServer(
                store: store, cluster: cluster, faults: faults, group: group, channel: channel, box: box,
                tls: configuration.tlsCertificatePath != nil, host: configuration.host)
        } catch {
            cluster.shutdown()
            try? await group.shutdownGracefully()
            throw error
        }
    }

    private init(
        store: ObjectStore, cluster: SimCluster, faults: FaultInjector, group: MultiThreadedEventLoopGroup,
        channel: any Channel,
        box: NIOLockedValueBox<InterceptorHolder?>, tls: Bool, host: String
    ) {
        self.store = store
        self.cluster = cluster
        self.faults = faults
        self.group = group
        self.channel = channel
        self.interceptorBox = box
        self.port = channel.localAddress?.port ?? 0
        self.baseURL = "\(tls ? "https" : "http")://\(host):\(port)"
    }

    /// Stops listening, closes every connection (ending watches) and the event loops.
    public func shutdown() async throws {
        try? await channel.close()
        cluster.shutdown()
        try await group.shutdownGracefully()
    }
}
