/// Every setting of every executable, in one table: `--help` prints it, `/info` shows it
/// (secrets redacted), the supervisor checks it before starting any child, and ``OperatorConfig``,
/// the watcher's `RunSettings` and the gc's `GCSettings` read it. Names follow the Java operator where it
/// had one (WATCH_NAMESPACES, OPERATOR_NAMESPACE, LOG_LEVEL, HEALTH_CHECK_PORT); add new
/// settings here so they show up everywhere.
public enum Settings {
    public static let watchNamespaces = Setting(
        "WATCH_NAMESPACES", default: "", "Comma-separated namespaces to watch; empty or ALL watches all namespaces.")
    public static let operatorNamespace = Setting(
        "OPERATOR_NAMESPACE", default: "default", "Namespace the operator runs in (leases, events about itself).")
    public static let logLevel = Setting(
        "LOG_LEVEL", default: "INFO",
        "TRACE, DEBUG, INFO, WARN or ERROR; SIGHUP or `ctl log-level` changes it at run time.", rule: .logLevel)
    public static let healthCheckPort = Setting(
        "HEALTH_CHECK_PORT", default: "8080", "TCP port of /health, /ready, /metrics and /info (0 picks a free port).",
        rule: .integer(0...65535))
    public static let executorWorkers = Setting(
        "EXECUTOR_WORKERS", default: "2", "Number of executor processes (1-64).", rule: .integer(1...64))
    public static let executorConcurrency = Setting(
        "EXECUTOR_CONCURRENCY", default: "32",
        "API requests each executor makes at once (1-1024); beyond it commands wait, and those that start an exit handler go first.",
        rule: .integer(1...1024))
    public static let runDir = Setting(
        "OMJOB_RUN_DIR", default: nil, "Private directory (mode 0700) for broker.sock; default /tmp/omjob-<uid>-<pid>.")
    public static let shutdownGrace = Setting(
        "SHUTDOWN_GRACE_SECONDS", default: "20",
        "Seconds from SIGTERM to SIGKILL of any process left; keep below the pod's terminationGracePeriodSeconds.",
        rule: .integer(1...3600))
    public static let restartIntensity = Setting(
        "RESTART_INTENSITY", default: "10",
        "Restarts allowed within RESTART_PERIOD_SECONDS before the supervisor gives up and exits 1.",
        rule: .integer(0...10_000))
    public static let restartPeriod = Setting(
        "RESTART_PERIOD_SECONDS", default: "60", "Window of RESTART_INTENSITY, in seconds.", rule: .integer(1...86_400))
    public static let restartBackoffMax = Setting(
        "RESTART_BACKOFF_MAX_SECONDS", default: "30", "Longest wait before restarting a crashing worker.",
        rule: .integer(1...3600))
    public static let brokerQueueLimit = Setting(
        "BROKER_QUEUE_LIMIT", default: "1000", "Commands waiting for an executor before new ones are answered busy.",
        rule: .integer(1...1_000_000))
    public static let heartbeatInterval = Setting(
        "HEARTBEAT_INTERVAL_MS", default: "1000",
        "How often workers send a heartbeat; a worker silent for 15 intervals is disconnected.",
        rule: .integer(10...60_000))
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
        "auto: elect a leader on a Lease in OPERATOR_NAMESPACE when the operator may get, create and update leases there, else run without election (logged once); false: never elect (every replica writes).",
        rule: .choice(["auto", "true", "false"]))
    public static let leaseName = Setting(
        "LEASE_NAME", default: nil,
        "The Lease replicas elect on; default omjob-operator, or omjob-operator-<SHARD>, or omjob-operator-ns-<hash of WATCH_NAMESPACES> when only those are set, or omjob-operator-sel-<hash of both> with OMJOB_SHARD_SELECTOR, so shards never share one.",
        rule: .dnsLabel(limit: 253))
    public static let shard = Setting(
        "SHARD", default: "", "Names this Deployment's shard (a DNS label); its Lease is omjob-operator-<SHARD>.",
        rule: .dnsLabel(limit: 40))
    public static let shardSelector = Setting(
        "OMJOB_SHARD_SELECTOR", default: "",
        "A label selector (e.g. app.kubernetes.io/pipeline-type=metadata): only OMJobs and CronOMJobs it matches are this Deployment's; their pods are found through the run. Shards' selectors must not overlap; empty: every OMJob."
    )
    public static let podName = Setting(
        "POD_NAME", default: nil,
        "This replica's identity in the Lease (set from metadata.name by deploy/); default <hostname>_<pid>.")
    public static let leaseDuration = Setting(
        "LEADER_ELECTION_LEASE_DURATION_MS", default: "15000",
        "How long a standby waits, after it last saw the Lease change, before taking it over.",
        rule: .integer(1000...3_600_000))
    public static let renewDeadline = Setting(
        "LEADER_ELECTION_RENEW_DEADLINE_MS", default: "10000",
        "A leader that has not renewed the Lease for this long stops every write; below the lease duration.",
        rule: .integer(100...3_600_000))
    public static let retryPeriod = Setting(
        "LEADER_ELECTION_RETRY_PERIOD_MS", default: "2000",
        "How often the Lease is read and renewed; below the renew deadline.", rule: .integer(50...3_600_000))
    public static let brokerSocket = Setting(
        "OMJOB_BROKER_SOCKET", default: nil, "Set by the supervisor for its workers: the broker's socket path.")
    public static let childInstance = Setting(
        "OMJOB_INSTANCE", default: "0",
        "Set by the supervisor for its workers: which instance of its role a worker is.", rule: .integer(0...1000))
    public static let watcherCommand = Setting(
        "OMJOB_WATCHER_COMMAND", default: nil,
        "Program run as the watcher; default omjob-watcher beside the supervisor.")
    public static let executorCommand = Setting(
        "OMJOB_EXECUTOR_COMMAND", default: nil,
        "Program run as each executor; default omjob-executor beside the supervisor.")
    public static let gcCommand = Setting(
        "OMJOB_GC_COMMAND", default: nil, "Program run as the gc; default omjob-gc beside the supervisor.")

    // The watcher's run limits: operator-wide defaults, each overridden by the OMJob's matching
    // spec field where it has one.
    public static let mainPodStartDeadline = runLimit(
        "OMJOB_MAIN_POD_START_DEADLINE_SECONDS", 600,
        "Longest a main pod may stay unstarted (image pull, unschedulable, config error).")
    public static let nodeLostThreshold = runLimit(
        "OMJOB_NODE_LOST_THRESHOLD_SECONDS", 300,
        "How long the main pod's node may be not Ready before the run records NodeLost; 300 s matches the default `tolerationSeconds` of the not-ready/unreachable taints, after which Kubernetes itself would evict the pod."
    )
    public static let exitHandlerBackoff = runLimit(
        "OMJOB_EXIT_HANDLER_BACKOFF_SECONDS", 10,
        "First retry delay of a failed exit handler; doubled per retry up to OMJOB_EXIT_HANDLER_MAX_BACKOFF_SECONDS.")
    public static let exitHandlerMaxBackoff = runLimit(
        "OMJOB_EXIT_HANDLER_MAX_BACKOFF_SECONDS", 300, "Cap of the exit handler's retry delay.")
    public static let exitHandlerStartDeadline = runLimit(
        "OMJOB_EXIT_HANDLER_START_DEADLINE_SECONDS", 300, "Longest an exit-handler pod may stay unstarted.")
    public static let exitHandlerActiveDeadline = runLimit(
        "OMJOB_EXIT_HANDLER_ACTIVE_DEADLINE_SECONDS", 3600,
        "Longest an exit-handler pod may run; exit_handler.py takes seconds, so an hour means it hangs.")
    public static let killDeadline = runLimit(
        "OMJOB_KILL_DEADLINE_SECONDS", 900,
        "Longest a deleted OMJob is held to stop its main pod and run its exit handler.")
    public static let deletionReportSlack = Setting(
        "OMJOB_DELETION_REPORT_SLACK_SECONDS", default: "30",
        "Seconds granted past a pod's `deletionTimestamp` (which already includes its grace period) for the kubelet to report how the container ended, before the run records PodDeleted without it.",
        rule: .integer(1...Int.max), readBy: .watcher)
    public static let exitHandlerBackoffLimit = Setting(
        "OMJOB_EXIT_HANDLER_BACKOFF_LIMIT", default: "3",
        "Retries of a failed exit handler (the OMJob's exitHandlerBackoffLimit, where set, wins).",
        rule: .integer(0...Int.max), readBy: .watcher)

    // The gc's decisions.
    public static let gcDeleteOMJobAfterTTL = Setting(
        "OMJOB_GC_DELETE_OMJOB_AFTER_TTL", default: "false",
        "true/false: delete the OMJob itself after its TTL (OpenMetadata reads finished OMJobs to show run history).",
        rule: .boolean, readBy: .gc)
    public static let gcStaleFinalizer = Setting(
        "OMJOB_GC_STALE_FINALIZER_SECONDS", default: "3600",
        "Seconds an operator finalizer may hold an object before it is reported.", rule: .integer(1...Int.max),
        readBy: .gc)
    public static let gcDefaultTTL = Setting(
        "OMJOB_GC_DEFAULT_TTL_SECONDS", default: "86400", "TTL for OMJobs without `ttlSecondsAfterFinished`.",
        rule: .integer(0...Int.max), readBy: .gc)
    public static let gcDefaultHistoryLimit = Setting(
        "OMJOB_GC_DEFAULT_HISTORY_LIMIT", default: "3", "History limit for CronOMJobs without one.",
        rule: .integer(0...Int.max), readBy: .gc)

    private static func runLimit(_ name: String, _ seconds: Int, _ help: String) -> Setting {
        Setting(
            name, default: String(seconds),
            help + " Seconds (the OMJob's matching spec field, where it has one, wins).",
            rule: .integer(1...Int.max), readBy: .watcher)
    }

    /// The table, in the order `--help` prints it.
    public static let all: [Setting] = [
        watchNamespaces, operatorNamespace, logLevel, healthCheckPort, executorWorkers, executorConcurrency, runDir,
        shutdownGrace, restartIntensity, restartPeriod, restartBackoffMax, brokerQueueLimit,
        heartbeatInterval, leaderElection, leaseName, shard, shardSelector, podName, leaseDuration, renewDeadline,
        retryPeriod,
        metricsPort, reconciliationThreads, pollingInterval, requeueDelay, brokerSocket, childInstance, watcherCommand,
        executorCommand, gcCommand,
        mainPodStartDeadline, nodeLostThreshold, exitHandlerBackoff, exitHandlerMaxBackoff, exitHandlerStartDeadline,
        exitHandlerActiveDeadline, killDeadline, deletionReportSlack, exitHandlerBackoffLimit,
        gcDeleteOMJobAfterTTL, gcStaleFinalizer, gcDefaultTTL, gcDefaultHistoryLimit,
    ]

    /// Every bad setting in `environment`, each named: first each value against its own rule, then
    /// the rules between settings (lease timings) with the bad values replaced by their defaults.
    /// The supervisor checks this before starting any child, for every role.
    public static func problems(in environment: [String: String], table: [Setting] = all) -> [ConfigError] {
        var problems = table.compactMap { $0.problem(in: environment) }
        let bad = Set(problems.map(\.setting))
        do throws(ConfigError) {
            _ = try OperatorConfig(environment: environment.filter { !bad.contains($0.key) })
        } catch {
            if !bad.contains(error.setting) { problems.append(error) }
        }
        return problems
    }

    /// The `--help` text: one block per setting.
    public static var helpText: String {
        var lines = ["ENVIRONMENT:"]
        for setting in all {
            let def = setting.defaultValue.map { $0.isEmpty ? " (default: empty)" : " (default: \($0))" } ?? ""
            let reader = setting.readBy == .everyProcess ? "" : " [\(setting.readBy.rawValue)]"
            lines.append("  \(setting.name)\(def)\(reader)")
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
