import Shared

/// The supervisor's metric names, declared in one place.
enum SupervisorMetrics {
    static let restarts = "omjob_supervisor_child_restarts_total"
    static let up = "omjob_supervisor_child_up"
    static let commands = "omjob_broker_commands_total"
    static let inFlight = "omjob_broker_inflight_commands"
    static let pending = "omjob_broker_pending_commands"
    static let roundTrip = "omjob_broker_round_trip_seconds"
    static let protocolErrors = "omjob_broker_protocol_errors_total"
    static let refusedConnections = "omjob_broker_refused_connections_total"
    static let connections = "omjob_broker_connections"
    static let permissionMissing = "omjob_permission_missing"
    static let permissionsMissing = "omjob_permissions_missing"
    static let apiReachable = "omjob_api_reachable"
    static let leader = "omjob_leader"
    static let leaderTransitions = "omjob_leader_transitions_total"
    static let leaderLastRenew = "omjob_leader_last_renew_timestamp_seconds"

    static func declare(in registry: MetricsRegistry) {
        registry.declare(restarts, .counter, help: "Restarts of each child since the supervisor started.")
        registry.declare(up, .gauge, help: "1 while the child process is running.")
        registry.declare(commands, .counter, help: "Commands answered by the broker, by outcome.")
        registry.declare(inFlight, .gauge, help: "Commands held by executors.")
        registry.declare(pending, .gauge, help: "Commands waiting for an executor.")
        registry.declare(roundTrip, .histogram, help: "Time from a command's arrival to its result leaving the broker.")
        registry.declare(protocolErrors, .counter, help: "Connections closed for a framing or message error.")
        registry.declare(refusedConnections, .counter, help: "Broker connections refused for a foreign uid.")
        registry.declare(connections, .gauge, help: "Open broker connections by role.")
        registry.declare(
            permissionMissing, .gauge,
            help: "1 for each permission the operator uses and lacks (required=true: OMJobs or schedules are not run).")
        registry.declare(
            permissionsMissing, .gauge,
            help: "How many permissions the operator uses and lacks, by required (always present).")
        registry.declare(apiReachable, .gauge, help: "0 while a worker reports the API server unreachable, else 1.")
        registry.declare(
            leader, .gauge,
            help: "1 while this replica writes: it holds the Lease, or is not leader-elected (elected=false).")
        registry.declare(leaderTransitions, .counter, help: "Times this replica acquired the Lease.")
        registry.declare(
            leaderLastRenew, .gauge, help: "Unix time of this replica's last successful Lease renewal (0: never).")
        registry.increment(leaderTransitions, by: 0)
        registry.increment(commands, labels: ["outcome": "completed"], by: 0)
        registry.increment(protocolErrors, by: 0)
        registry.increment(refusedConnections, by: 0)
    }

    /// Refreshes gauges and worker-reported totals before a render.
    static func update(
        _ registry: MetricsRegistry, tree: SupervisionTree, broker: Broker, workerTotals: WorkerCounterTotals,
        leader: LeaderStatus
    ) {
        registry.reset(Self.leader)
        registry.set(
            Self.leader, labels: ["lease": leader.lease, "elected": leader.unelectedReason == nil ? "true" : "false"],
            to: broker.leading ? 1 : 0)
        registry.set(leaderLastRenew, to: leader.lastRenew ?? 0)
        for child in tree.children {
            let labels = ["role": child.id.role, "instance": String(child.id.instance)]
            registry.set(restarts, labels: labels, to: Double(child.restarts))
            registry.set(up, labels: labels, to: child.pid == nil ? 0 : 1)
        }
        registry.set(inFlight, to: Double(broker.ledger.count - broker.pendingCount))
        registry.set(pending, to: Double(broker.pendingCount))
        registry.reset(connections)
        var byRole: [String: Int] = [:]
        for peer in broker.peers.values { byRole[peer.hello.role, default: 0] += 1 }
        for (role, count) in byRole { registry.set(connections, labels: ["role": role], to: Double(count)) }
        registry.reset(permissionMissing)
        let missing = Readiness.missingPermissions(peers: Array(broker.peers.values))
        registry.set(permissionsMissing, labels: ["required": "true"], to: Double(missing.filter(\.required).count))
        registry.set(
            permissionsMissing, labels: ["required": "false"], to: Double(missing.filter { !$0.required }.count))
        for permission in missing {
            registry.set(
                permissionMissing,
                labels: [
                    "verb": permission.verb, "resource": permission.resourceName,
                    "namespace": permission.namespace ?? "",
                    "required": permission.required ? "true" : "false",
                ], to: 1)
        }
        registry.set(apiReachable, to: broker.peers.values.contains { $0.conditions.apiReachable == false } ? 0 : 1)
        let reported = WorkerSeries(workerTotals.totals)
        for (key, value) in reported.counters {
            registry.declare(key.name, .counter, help: "Reported by workers; totals kept across worker restarts.")
            registry.set(key.name, labels: key.labels, to: value)
        }
        for histogram in reported.histograms {
            registry.setHistogram(
                histogram.name, labels: histogram.labels,
                help: "Reported by workers; totals kept across worker restarts.",
                bounds: histogram.bounds, counts: histogram.counts, sum: histogram.sum, count: histogram.count)
        }
    }
}
