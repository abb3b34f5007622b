import Runtime

/// The supervisor's metrics (names, types and help in ``MetricCatalogue``) and how it fills them.
enum SupervisorMetrics {
    static let restarts = MetricCatalogue.childRestarts.name
    static let up = MetricCatalogue.childUp.name
    static let commands = MetricCatalogue.brokerCommands.name
    static let inFlight = MetricCatalogue.brokerInFlight.name
    static let pending = MetricCatalogue.brokerPending.name
    static let roundTrip = MetricCatalogue.brokerRoundTrip.name
    static let protocolErrors = MetricCatalogue.brokerProtocolErrors.name
    static let refusedConnections = MetricCatalogue.brokerRefusedConnections.name
    static let connections = MetricCatalogue.brokerConnections.name
    static let permissionMissing = MetricCatalogue.permissionMissing.name
    static let permissionsMissing = MetricCatalogue.permissionsMissing.name
    static let apiReachable = MetricCatalogue.apiReachable.name
    static let leader = MetricCatalogue.leader.name
    static let leaderTransitions = MetricCatalogue.leaderTransitions.name
    static let leaderLastRenew = MetricCatalogue.leaderLastRenew.name

    /// The families the supervisor itself counts; the workers' are declared when first reported.
    static let ownFamilies: [MetricDescription] = [
        MetricCatalogue.childRestarts, MetricCatalogue.childUp, MetricCatalogue.brokerCommands,
        MetricCatalogue.brokerInFlight,
        MetricCatalogue.brokerPending, MetricCatalogue.brokerRoundTrip, MetricCatalogue.brokerProtocolErrors,
        MetricCatalogue.brokerRefusedConnections, MetricCatalogue.brokerConnections, MetricCatalogue.permissionMissing,
        MetricCatalogue.permissionsMissing, MetricCatalogue.apiReachable, MetricCatalogue.leader,
        MetricCatalogue.leaderTransitions,
        MetricCatalogue.leaderLastRenew,
    ]

    static func declare(in registry: MetricsRegistry) {
        for family in ownFamilies { registry.declare(family.name, family.kind, help: family.help) }
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
            registry.declare(key.name, .counter, help: MetricCatalogue.help(for: key.name))
            registry.set(key.name, labels: key.labels, to: value)
        }
        for histogram in reported.histograms {
            registry.setHistogram(
                histogram.name, labels: histogram.labels, help: MetricCatalogue.help(for: histogram.name),
                bounds: histogram.bounds, counts: histogram.counts, sum: histogram.sum, count: histogram.count)
        }
    }
}
