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
    public var instance: Int
    public var childCommands: [String: String]

    /// Reads and checks every setting; the first bad one is the error.
    public init(environment: [String: String]) throws(ConfigError) {
        let env = SettingReader(environment: environment)
        watchNamespaces = Self.namespaces(env.string(Settings.watchNamespaces))
        operatorNamespace = env.string(Settings.operatorNamespace)
        logLevel = try env.logLevel(Settings.logLevel)
        healthCheckPort = try env.int(Settings.healthCheckPort, in: 0...65535)
        executorWorkers = try env.int(Settings.executorWorkers, in: 1...64)
        executorConcurrency = try env.int(Settings.executorConcurrency, in: 1...1024)
        // METRICS_PORT, RECONCILIATION_THREADS, POLLING_INTERVAL_SECONDS and REQUEUE_DELAY_SECONDS
        // come from OpenMetadata's Helm chart: accepted with any value, not read (see Settings).
        runDir = env.optional(Settings.runDir)
        shutdownGrace = .seconds(try env.int(Settings.shutdownGrace, in: 1...3600))
        restartIntensity = try env.int(Settings.restartIntensity, in: 0...10_000)
        restartPeriod = .seconds(try env.int(Settings.restartPeriod, in: 1...86_400))
        restartBackoffMax = .seconds(try env.int(Settings.restartBackoffMax, in: 1...3600))
        brokerQueueLimit = try env.int(Settings.brokerQueueLimit, in: 1...1_000_000)
        heartbeatInterval = .milliseconds(try env.int(Settings.heartbeatInterval, in: 10...60_000))
        brokerSocket = env.optional(Settings.brokerSocket)
        instance = try env.int(Settings.childInstance, in: 0...1000)
        childCommands = [:]
        for (role, setting) in [("watcher", Settings.watcherCommand), ("executor", Settings.executorCommand), ("gc", Settings.gcCommand)] {
            if let command = env.optional(setting) { childCommands[role] = command }
        }
    }

    /// The namespaces to watch; empty means all. `ALL` (any case, as OpenMetadata's chart sends)
    /// anywhere in the list also means all, since a list that includes "everything" is everything.
    static func namespaces(_ raw: String) -> [String] {
        let names = raw.split(separator: ",").map { String($0).trimmed }.filter { !$0.isEmpty }
        return names.contains { $0.uppercased() == "ALL" } ? [] : names
    }
}
