/// One metric family the operator exposes on `/metrics`: its name, type and `# HELP` text.
public struct MetricDescription: Sendable, Equatable {
    public var name: String
    public var kind: MetricsRegistry.Kind
    public var help: String

    public init(_ name: String, _ kind: MetricsRegistry.Kind, _ help: String) {
        self.name = name
        self.kind = kind
        self.help = help
    }
}

/// Every metric of every process, in one table: the supervisor declares its own families from it
/// and gives the series workers report (counters, histograms as cumulative buckets, gauges)
/// their type and meaning from it, so `/metrics` says what each series is whichever process
/// counted it. A worker reports only names listed here.
public enum MetricCatalogue {
    // The supervisor and its broker.
    public static let childRestarts = MetricDescription(
        "omjob_supervisor_child_restarts_total", .counter, "Restarts of each child since the supervisor started.")
    public static let childUp = MetricDescription(
        "omjob_supervisor_child_up", .gauge, "1 while the child process is running.")
    public static let brokerCommands = MetricDescription(
        "omjob_broker_commands_total", .counter, "Commands answered by the broker, by outcome.")
    public static let brokerInFlight = MetricDescription(
        "omjob_broker_inflight_commands", .gauge, "Commands held by executors.")
    public static let brokerPending = MetricDescription(
        "omjob_broker_pending_commands", .gauge, "Commands waiting for an executor.")
    public static let brokerRoundTrip = MetricDescription(
        "omjob_broker_round_trip_seconds", .histogram, "Time from a command's arrival to its result leaving the broker."
    )
    public static let brokerProtocolErrors = MetricDescription(
        "omjob_broker_protocol_errors_total", .counter, "Connections closed for a framing or message error.")
    public static let brokerRefusedConnections = MetricDescription(
        "omjob_broker_refused_connections_total", .counter, "Broker connections refused for a foreign uid.")
    public static let brokerConnections = MetricDescription(
        "omjob_broker_connections", .gauge, "Open broker connections by role.")
    public static let permissionMissing = MetricDescription(
        "omjob_permission_missing", .gauge,
        "1 for each permission the operator uses and lacks (required=true: OMJobs or schedules are not run).")
    public static let permissionsMissing = MetricDescription(
        "omjob_permissions_missing", .gauge,
        "How many permissions the operator uses and lacks, by required (always present).")
    public static let apiReachable = MetricDescription(
        "omjob_api_reachable", .gauge, "0 while a worker reports the API server unreachable, else 1.")
    public static let leader = MetricDescription(
        "omjob_leader", .gauge,
        "1 while this replica writes: it holds the Lease, or is not leader-elected (elected=false).")
    public static let leaderTransitions = MetricDescription(
        "omjob_leader_transitions_total", .counter, "Times this replica acquired the Lease.")
    public static let leaderLastRenew = MetricDescription(
        "omjob_leader_last_renew_timestamp_seconds", .gauge,
        "Unix time of this replica's last successful Lease renewal (0: never).")

    // The watcher.
    public static let podsCreated = MetricDescription(
        "omjob_pods_created_total", .counter, "Pods the operator created, by type (main, exit-handler).")
    public static let statusTransitions = MetricDescription(
        "omjob_status_transitions_total", .counter, "OMJob phase changes written, by from_phase and to_phase.")
    public static let mainPodEndings = MetricDescription(
        "omjob_main_pod_endings_total", .counter,
        "Main-pod endings recorded, by reason (status.mainPodTermination.reason).")
    public static let exitHandlerStartLatency = MetricDescription(
        "omjob_exit_handler_start_latency_seconds", .histogram,
        "From the watcher seeing the change that ends the main pod to the API server's 201 for the first exit-handler pod."
    )
    public static let runDuration = MetricDescription(
        "omjob_duration_seconds", .histogram, "A finished run's completionTime - startTime, by final phase.")
    public static let reconciliations = MetricDescription(
        "omjob_reconciliations_total", .counter,
        "Decisions the watcher made, by status (commands: it sent commands, idle: it did not).")
    public static let watcherCommandResults = MetricDescription(
        "omjob_watcher_command_results_total", .counter, "Results the watcher received for its commands, by outcome.")

    // The executors.
    public static let executorCommands = MetricDescription(
        "omjob_executor_commands_total", .counter, "Commands the executors performed, by type and outcome.")

    // The gc.
    public static let gcPodsDeleted = MetricDescription(
        "omjob_gc_pods_deleted_total", .counter, "Pods the gc deleted (a 404 on a repeat is not counted).")
    public static let gcOMJobsDeleted = MetricDescription(
        "omjob_gc_omjobs_deleted_total", .counter, "OMJobs the gc deleted, by reason (TTL, HistoryLimit).")
    public static let gcCleanupsRecorded = MetricDescription(
        "omjob_gc_cleanups_recorded_total", .counter, "Runs whose cleanup time the gc recorded.")
    public static let gcEvents = MetricDescription(
        "omjob_gc_events_total", .counter, "Events the gc created (a 409 on a repeat is not counted).")
    public static let gcWriteFailures = MetricDescription(
        "omjob_gc_write_failures_total", .counter, "The gc's writes that failed after the client's retries, by action.")
    public static let gcSweeps = MetricDescription("omjob_gc_sweeps_total", .counter, "Sweeps the gc performed.")
    public static let staleFinalizers = MetricDescription(
        "omjob_stale_finalizers", .gauge,
        "Operator finalizers held longer than OMJOB_GC_STALE_FINALIZER_SECONDS, as of the last sweep.")
    public static let gcRuns = MetricDescription(
        "omjob_gc_runs", .gauge, "OMJobs in each TTL state, by state, as of the last sweep.")
    public static let gcLastSweep = MetricDescription(
        "omjob_gc_last_sweep_timestamp_seconds", .gauge,
        "Operator-clock time of the gc's last sweep, in seconds since the epoch.")

    /// The table, in the order of the groups above.
    public static let all: [MetricDescription] = [
        childRestarts, childUp, brokerCommands, brokerInFlight, brokerPending, brokerRoundTrip, brokerProtocolErrors,
        brokerRefusedConnections, brokerConnections, permissionMissing, permissionsMissing, apiReachable, leader,
        leaderTransitions, leaderLastRenew,
        podsCreated, statusTransitions, mainPodEndings, exitHandlerStartLatency, runDuration, reconciliations,
        watcherCommandResults,
        executorCommands,
        gcPodsDeleted, gcOMJobsDeleted, gcCleanupsRecorded, gcEvents, gcWriteFailures, gcSweeps, staleFinalizers,
        gcRuns, gcLastSweep,
    ]

    private static let byName = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })

    /// The family named `name`, if the operator declares one.
    public static func named(_ name: String) -> MetricDescription? { byName[name] }

    /// The `# HELP` text for a series a worker reported: the catalogue's, or, for a name it does
    /// not list, a text saying so.
    public static func help(for name: String) -> String {
        named(name)?.help ?? "Reported by a worker; not in the operator's metric catalogue."
    }
}
