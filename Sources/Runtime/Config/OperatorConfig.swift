import Logging

/// The typed configuration every process reads from its environment at start-up.
public struct OperatorConfig: Sendable, Equatable {
    public var watchNamespaces: [String]
    public var operatorNamespace: String
    public var logLevel: Logger.Level
    public var healthCheckPort: Int
    public var executorWorkers: Int
    public var executorConcurrency: Int
    public var runDir: String?
    public var shutdownGrace: Duration
    public var restartIntensity: Int
    public var restartPeriod: Duration
    public var restartBackoffMax: Duration
    public var brokerQueueLimit: Int
    public var heartbeatInterval: Duration
    public var brokerSocket: String?
    /// False when `LEADER_ELECTION=false`.
    public var leaderElection: Bool
    public var leaseName: String
    /// `SHARD`: this Deployment's shard name; empty when unnamed.
    public var shard: String
    /// `OMJOB_SHARD_SELECTOR`: the OMJobs and CronOMJobs of this shard; nil: all.
    public var shardSelector: ShardSelector?
    /// `POD_NAME`, or nil to derive one.
    public var podName: String?
    public var leaseDuration: Duration
    public var renewDeadline: Duration
    public var retryPeriod: Duration
    public var instance: Int
    public var childCommands: [String: String]

    /// Reads and checks every setting; the first bad one is the error.
    public init(environment: [String: String]) throws(ConfigError) {
        let env = SettingReader(environment: environment)
        watchNamespaces = Self.namespaces(env.string(Settings.watchNamespaces))
        operatorNamespace = env.string(Settings.operatorNamespace)
        logLevel = try env.logLevel(Settings.logLevel)
        healthCheckPort = try env.int(Settings.healthCheckPort)
        executorWorkers = try env.int(Settings.executorWorkers)
        executorConcurrency = try env.int(Settings.executorConcurrency)
        // METRICS_PORT, RECONCILIATION_THREADS, POLLING_INTERVAL_SECONDS and REQUEUE_DELAY_SECONDS
        // come from OpenMetadata's Helm chart: accepted with any value, not read (see Settings).
        runDir = env.optional(Settings.runDir)
        shutdownGrace = .seconds(try env.int(Settings.shutdownGrace))
        restartIntensity = try env.int(Settings.restartIntensity)
        restartPeriod = .seconds(try env.int(Settings.restartPeriod))
        restartBackoffMax = .seconds(try env.int(Settings.restartBackoffMax))
        brokerQueueLimit = try env.int(Settings.brokerQueueLimit)
        heartbeatInterval = .milliseconds(try env.int(Settings.heartbeatInterval))
        brokerSocket = env.optional(Settings.brokerSocket)
        leaderElection = try env.choice(Settings.leaderElection) != "false"
        shard = try env.dnsLabel(Settings.shard)
        let selectorText = env.string(Settings.shardSelector).trimmed
        do throws(ShardSelectorError) {
            shardSelector = selectorText.isEmpty ? nil : try ShardSelector(selectorText)
        } catch {
            throw ConfigError(
                setting: Settings.shardSelector.name, value: selectorText,
                expected: "a label selector (\(error.problem))")
        }
        if env.optional(Settings.leaseName) == nil {
            leaseName = Self.defaultLeaseName(
                shard: shard, namespaces: watchNamespaces, selector: shardSelector?.text ?? "")
        } else {
            leaseName = try env.dnsLabel(Settings.leaseName)
            guard !leaseName.isEmpty else {
                throw ConfigError(
                    setting: Settings.leaseName.name, value: "", expected: Settings.leaseName.rule.expected)
            }
        }
        podName = env.optional(Settings.podName)
        leaseDuration = .milliseconds(try env.int(Settings.leaseDuration))
        renewDeadline = .milliseconds(try env.int(Settings.renewDeadline))
        retryPeriod = .milliseconds(try env.int(Settings.retryPeriod))
        guard renewDeadline < leaseDuration else {
            throw ConfigError(
                setting: Settings.renewDeadline.name, value: env.string(Settings.renewDeadline),
                expected: "fewer milliseconds than \(Settings.leaseDuration.name)")
        }
        // client-go's rule: room for at least one retry (with its 1.2 jitter) within the deadline.
        guard renewDeadline > retryPeriod * 1.2 else {
            throw ConfigError(
                setting: Settings.retryPeriod.name, value: env.string(Settings.retryPeriod),
                expected: "under \(Settings.renewDeadline.name) / 1.2")
        }
        instance = try env.int(Settings.childInstance)
        childCommands = [:]
        for (role, setting) in [
            ("watcher", Settings.watcherCommand), ("executor", Settings.executorCommand), ("gc", Settings.gcCommand),
        ] {
            if let command = env.optional(setting) { childCommands[role] = command }
        }
    }

    /// The Lease of this set of replicas: per shard, or per set of watched namespaces, so two
    /// Deployments that split the work never compete for one Lease.
    /// A selector shard hashes its selector with the namespaces, so two selectors over one
    /// namespace set elect on two Leases.
    static func defaultLeaseName(shard: String, namespaces: [String], selector: String = "") -> String {
        if !shard.isEmpty { return "omjob-operator-\(shard)" }
        if namespaces.isEmpty && selector.isEmpty { return "omjob-operator" }
        // FNV-1a: stable across processes and builds, unlike Hasher.
        var hash: UInt32 = 2_166_136_261
        let scope = Set(namespaces).sorted().joined(separator: ",") + (selector.isEmpty ? "" : "|" + selector)
        for byte in scope.utf8 {
            hash = (hash ^ UInt32(byte)) &* 16_777_619
        }
        let hex = String(hash, radix: 16)
        return (selector.isEmpty ? "omjob-operator-ns-" : "omjob-operator-sel-")
            + String(repeating: "0", count: 8 - hex.count) + hex
    }

    static func isDNSLabel(_ text: String, limit: Int = 40) -> Bool {
        guard !text.isEmpty, text.count <= limit, text.first != "-", text.last != "-" else { return false }
        return text.utf8.allSatisfy {
            ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 45 || (limit > 63 && $0 == 46)
        }
    }

    /// The namespaces to watch; empty means all. `ALL` (any case, as OpenMetadata's chart sends)
    /// anywhere in the list also means all, since a list that includes "everything" is everything.
    static func namespaces(_ raw: String) -> [String] {
        let names = raw.split(separator: ",").map { String($0).trimmed }.filter { !$0.isEmpty }
        return names.contains { $0.uppercased() == "ALL" } ? [] : names
    }
}
