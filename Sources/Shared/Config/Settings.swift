/// Every setting of every executable, in one table: `--help` prints it, `/info` shows it
/// (secrets redacted), and ``OperatorConfig`` reads it. Names follow the Java operator where it
/// had one (WATCH_NAMESPACES, OPERATOR_NAMESPACE, LOG_LEVEL, HEALTH_CHECK_PORT); add new
/// settings here so they show up everywhere.
public enum Settings {
    public static let watchNamespaces = Setting(
        "WATCH_NAMESPACES", default: "", "Comma-separated namespaces to watch; empty or ALL watches all namespaces.")
    public static let operatorNamespace = Setting(
        "OPERATOR_NAMESPACE", default: "default", "Namespace the operator runs in (leases, events about itself).")
    public static let logLevel = Setting(
        "LOG_LEVEL", default: "INFO",
        "TRACE, DEBUG, INFO, WARN or ERROR; SIGHUP or `ctl log-level` changes it at run time.")
    public static let healthCheckPort = Setting(
        "HEALTH_CHECK_PORT", default: "8080", "TCP port of /health, /ready, /metrics and /info (0 picks a free port).")
    public static let executorWorkers = Setting(
        "EXECUTOR_WORKERS", default: "2", "Number of executor processes (1-64).")
    public static let executorConcurrency = Setting(
        "EXECUTOR_CONCURRENCY", default: "32",
        "API requests each executor makes at once (1-1024); beyond it commands wait, and those that start an exit handler go first."
    )
    public static let runDir = Setting(
        "OMJOB_RUN_DIR", default: nil, "Private directory (mode 0700) for broker.sock; default /tmp/omjob-<uid>-<pid>.")
    public static let shutdownGrace = Setting(
        "SHUTDOWN_GRACE_SECONDS", default: "20",
        "Seconds from SIGTERM to SIGKILL of any process left; keep below the pod's terminationGracePeriodSeconds.")
    public static let restartIntensity = Setting(
        "RESTART_INTENSITY", default: "10",
        "Restarts allowed within RESTART_PERIOD_SECONDS before the supervisor gives up and exits 1.")
    public static let restartPeriod = Setting(
        "RESTART_PERIOD_SECONDS", default: "60", "Window of RESTART_INTENSITY, in seconds.")
    public static let restartBackoffMax = Setting(
        "RESTART_BACKOFF_MAX_SECONDS", default: "30", "Longest wait before restarting a crashing worker.")
    public static let brokerQueueLimit = Setting(
        "BROKER_QUEUE_LIMIT", default: "1000", "Commands waiting for an executor before new ones are answered busy.")
    public static let heartbeatInterval = Setting(
        "HEARTBEAT_INTERVAL_MS", default: "1000",
        "How often workers send a heartbeat; a worker silent for 15 intervals is disconnected.")
    // Set by OpenMetadata's Helm chart for the Java operator. Accepted whatever their value (a
    // value the chart accepts must never stop start-up) and unused.
    public static let metricsPort = Setting(
        "METRICS_PORT", default: "8081",
        "Accepted for OpenMetadata's Helm chart, any value, not used: /metrics is served on HEALTH_CHECK_PORT.")
    public static let reconciliationThreads = Setting(
        "RECONCILIATION_THREADS", default: "1",
        "Accepted for OpenMetadata's Helm chart, any value, not used: every executor performs many commands at once, so EXECUTOR_WORKERS sizes the work instead."
    )
    public static let pollingInterval = Setting(
        "POLLING_INTERVAL_SECONDS", default: "10",
        "Accepted for OpenMetadata's Helm chart, any value, not used: the operator watches the API instead of polling it, and looks again only at a run's own deadlines."
    )
    public static let requeueDelay = Setting(
        "REQUEUE_DELAY_SECONDS", default: "5",
        "Accepted for OpenMetadata's Helm chart, any value, not used: a failed write is retried with its own backoff (5 ms doubling to 1000 s per run; transient API errors within the request's deadline)."
    )
    public static let leaderElection = Setting(
        "LEADER_ELECTION", default: "auto",
        "auto: elect a leader on a Lease in OPERATOR_NAMESPACE when the operator may get, create and update leases there, else run without election (logged once); false: never elect (every replica writes)."
    )
    public static let leaseName = Setting(
        "LEASE_NAME", default: nil,
        "The Lease replicas elect on; default omjob-operator, or omjob-operator-<SHARD>, or omjob-operator-ns-<hash of WATCH_NAMESPACES> when only those are set, or omjob-operator-sel-<hash of both> with OMJOB_SHARD_SELECTOR, so shards never share one."
    )
    public static let shard = Setting(
        "SHARD", default: "", "Names this Deployment's shard (a DNS label); its Lease is omjob-operator-<SHARD>.")
    public static let shardSelector = Setting(
        "OMJOB_SHARD_SELECTOR", default: "",
        "A label selector (e.g. app.kubernetes.io/pipeline-type=metadata): only OMJobs and CronOMJobs it matches are this Deployment's; their pods are found through the run. Shards' selectors must not overlap; empty: every OMJob."
    )
    public static let podName = Setting(
        "POD_NAME", default: nil,
        "This replica's identity in the Lease (set from metadata.name by deploy/); default <hostname>_<pid>.")
    public static let leaseDuration = Setting(
        "LEADER_ELECTION_LEASE_DURATION_MS", default: "15000",
        "How long a standby waits, after it last saw the Lease change, before taking it over.")
    public static let renewDeadline = Setting(
        "LEADER_ELECTION_RENEW_DEADLINE_MS", default: "10000",
        "A leader that has not renewed the Lease for this long stops every write; below the lease duration.")
    public static let retryPeriod = Setting(
        "LEADER_ELECTION_RETRY_PERIOD_MS", default: "2000",
        "How often the Lease is read and renewed; below the renew deadline.")
    public static let brokerSocket = Setting(
        "OMJOB_BROKER_SOCKET", default: nil, "Set by the supervisor for its workers: the broker's socket path.")
    public static let childInstance = Setting(
        "OMJOB_INSTANCE", default: "0", "Set by the supervisor for its workers: which instance of its role a worker is."
    )
    public static let watcherCommand = Setting(
        "OMJOB_WATCHER_COMMAND", default: nil,
        "Program run as the watcher; default omjob-watcher beside the supervisor.")
    public static let executorCommand = Setting(
        "OMJOB_EXECUTOR_COMMAND", default: nil,
        "Program run as each executor; default omjob-executor beside the supervisor.")
    public static let gcCommand = Setting(
        "OMJOB_GC_COMMAND", default: nil, "Program run as the gc; default omjob-gc beside the supervisor.")

    /// The table, in the order `--help` prints it.
    public static let all: [Setting] = [
        watchNamespaces, operatorNamespace, logLevel, healthCheckPort, executorWorkers, executorConcurrency, runDir,
        shutdownGrace, restartIntensity, restartPeriod, restartBackoffMax, brokerQueueLimit,
        heartbeatInterval, leaderElection, leaseName, shard, shardSelector, podName, leaseDuration, renewDeadline,
        retryPeriod, metricsPort, reconciliationThreads, pollingInterval, requeueDelay, brokerSocket, childInstance,
        watcherCommand, executorCommand, gcCommand,
    ]

    /// The `--help` text: one block per setting.
    public static var helpText: String {
        var lines = ["ENVIRONMENT:"]
        for setting in all {
            let def = setting.defaultValue.map { $0.isEmpty ? " (default: empty)" : " (default: \($0))" } ?? ""
            lines.append("  \(setting.name)\(def)")
            lines.append("      \(setting.help)")
        }
        lines.append("A bad value stops start-up with exit code \(ConfigError.exitCode) and names the variable.")
        return lines.joined(separator: "\n")
    }

    /// Every setting's effective value for `/info`, secrets redacted.
    public static func redacted(_ environment: [String: String], table: [Setting] = all) -> [String: String] {
        var out: [String: String] = [:]
        for setting in table {
            let value = environment[setting.name].flatMap { $0.isEmpty ? nil : $0 } ?? setting.defaultValue ?? ""
            out[setting.name] = setting.isSecret && !value.isEmpty ? "<redacted>" : value
        }
        return out
    }
}
