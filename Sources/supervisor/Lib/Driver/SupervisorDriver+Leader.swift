import Foundation
import KubeAPI
import KubeJSON
import Logging
import Models
import Runtime
import UVLoop

#if canImport(Glibc)
    import Glibc
#endif

/// What the supervisor knows of leader election, for `/info`, metrics and the exit path.
struct LeaderStatus {
    /// Why this replica is not leader-elected (it then writes as a lone operator does); nil
    /// while electing.
    var unelectedReason: String?
    var identity = ""
    var lease = ""
    /// Wall-clock seconds of the last renewal that succeeded.
    var lastRenew: Double?
    /// The exit code waiting for the Lease's release.
    var exitAfterRelease: Int32?
    var releaseTimer: LoopTimer?
}

/// Leader election: the supervisor holds the Lease (it owns the broker, through which every
/// executor write passes, and tells the gc, the one worker that writes itself). The elector
/// decides; this performs its requests with a KubeClient on the supervisor's loop and posts the
/// answers back to the loop thread.
extension SupervisorDriver {
    /// Starts electing, or says once why this replica is not leader-elected. Call before the tree
    /// starts: a replica that elects begins as a standby.
    func startLeaderElection() {
        leaderStatus.lease = "\(config.operatorNamespace)/\(config.leaseName)"
        leaderStatus.identity = config.podName ?? "\(Self.hostname())_\(getpid())"
        guard config.leaderElection else { return runUnelected("LEADER_ELECTION=false") }
        let cluster: ClusterConfiguration
        do {
            cluster = try ClusterConfiguration.load(environment: environment)
        } catch {
            return runUnelected("no cluster configuration: \(error)")
        }
        leaseClient = KubeClient(configuration: cluster, executor: loop.executor, retry: .never)
        perform(broker.setLeading(false))
        elector = LeaderElector(
            identity: leaderStatus.identity,
            timing: LeaderElector.Timing(
                leaseDuration: config.leaseDuration, renewDeadline: config.renewDeadline,
                retryPeriod: config.retryPeriod))
        logger.info(
            "electing a leader",
            metadata: [LogKeys.lease: "\(leaderStatus.lease)", LogKeys.identity: "\(leaderStatus.identity)"])
        perform(elector!.tick(now: leaderNow()))
    }

    private func runUnelected(_ reason: String) {
        leaderStatus.unelectedReason = reason
        logger.warning(
            "not leader-elected: every replica of this operator writes", metadata: [LogKeys.reason: "\(reason)"])
    }

    /// The server refused a Lease request (403): leader election is optional, so this replica
    /// stops electing and writes, as a lone operator does (the 403 is the review: it holds
    /// whichever server answers, including one that serves no SelfSubjectAccessReview).
    private func leaseForbidden(_ error: KubeError) {
        if let code = leaderStatus.exitAfterRelease { return finish(code) }
        guard elector != nil, exitCode == nil else { return }
        elector = nil
        leaderTimer?.stop()
        let missing = OperatorPermissions.leases(namespace: config.operatorNamespace).map(\.description).joined(
            separator: ", ")
        runUnelected("the server refused a Lease request (\(error)); grant \(missing)")
        perform(broker.setLeading(true))
    }

    /// This replica leads, or is not leader-elected (and so writes).
    var writes: Bool { broker.leading }

    func leaderNow() -> LeaderElector.Now {
        LeaderElector.Now(clock.now(), wall: LeaseRecord.microTime(Date()))
    }

    func perform(_ actions: [LeaderElector.Action]) {
        guard let client = leaseClient else { return }
        let namespace = config.operatorNamespace
        let name = config.leaseName
        let labels = OperatorLabels.lease(shard: config.shard)
        let timeout = max(config.renewDeadline / 2, .milliseconds(500))
        let bound = LoopBound(self, executor: loop.executor)
        for action in actions {
            switch action {
            case .read:
                Task {
                    let result: LeaderElector.ReadResult
                    do throws(KubeError) {
                        let lease = try await client.lease(namespace: namespace, name: name, timeout: timeout)
                        result = lease.map { .found($0) } ?? .notFound
                    } catch  where error.code == 403 {
                        bound.executor.execute { bound.value.leaseForbidden(error) }
                        return
                    } catch {
                        result = .failed("\(error)")
                    }
                    bound.executor.execute { bound.value.leaseAnswered { $0.read(result, now: $1) } }
                }
            case .create(let record), .update(let record, _):
                let version: String? = if case .update(_, let rv) = action { rv } else { nil }
                Task {
                    let result: LeaderElector.WriteResult
                    do throws(KubeError) {
                        let written =
                            if let version {
                                try await client.updateLease(
                                    namespace: namespace, name: name, record: record, labels: labels,
                                    resourceVersion: version,
                                    timeout: timeout)
                            } else {
                                try await client.createLease(
                                    namespace: namespace, name: name, record: record, labels: labels, timeout: timeout)
                            }
                        result = .written(written)
                    } catch  where error.code == 409 {
                        result = .conflict
                    } catch  where error.code == 403 {
                        bound.executor.execute { bound.value.leaseForbidden(error) }
                        return
                    } catch {
                        result = .failed("\(error)")
                    }
                    bound.executor.execute { bound.value.leaseAnswered { $0.wrote(result, now: $1) } }
                }
            case .startLeading:
                leaderStatus.lastRenew = Date().timeIntervalSince1970
                metrics.increment(SupervisorMetrics.leaderTransitions)
                perform(broker.setLeading(true))
            case .stopLeading(let reason):
                perform(broker.setLeading(false))
                stopWriters(reason: reason)
            case .released:
                if let code = leaderStatus.exitAfterRelease { finish(code) }
            case .log(let event):
                log(event)
            }
        }
        rearmLeaderTimer()
    }

    private func leaseAnswered(_ apply: (inout LeaderElector, LeaderElector.Now) -> [LeaderElector.Action]) {
        guard exitCode == nil, elector != nil else { return }
        let now = leaderNow()
        let renewed = elector!.lastRenew
        let actions = apply(&elector!, now)
        if elector!.lastRenew != renewed { leaderStatus.lastRenew = Date().timeIntervalSince1970 }
        perform(actions)
        perform(elector!.tick(now: leaderNow()))
    }

    /// Writes already handed to executors or the gc may be on their way: those processes are
    /// killed, so that nothing this replica started writes after it lost the Lease. They are
    /// restarted as for any crash and wait, as standbys, for the lead.
    private func stopWriters(reason: String) {
        guard exitCode == nil, leaderStatus.exitAfterRelease == nil else { return }
        for (id, process) in processes where id.role == "executor" || id.role == "gc" {
            logger.warning(
                "lost the lead: stopping a writer now", metadata: [LogKeys.child: "\(id)", LogKeys.reason: "\(reason)"])
            process.kill(SIGKILL)
        }
    }

    private func rearmLeaderTimer() {
        guard let leaderTimer, !leaderTimer.isClosing, let elector else { return }
        guard let deadline = elector.nextDeadline else { return leaderTimer.stop() }
        let delay = max(deadline - clock.now(), .milliseconds(1))
        leaderTimer.start(after: delay) { [unowned self] in
            guard self.elector != nil else { return }
            perform(self.elector!.tick(now: leaderNow()))
        }
    }

    /// The tree has stopped: release the Lease before exiting, so a standby takes over at its
    /// next retry. Bounded by `releaseBound`: an unreachable server must not hold the exit.
    func exitReleasingLease(_ code: Int32) {
        guard elector != nil, leaderStatus.exitAfterRelease == nil else { return finish(code) }
        leaderStatus.exitAfterRelease = code
        if let timer = try? LoopTimer(loop: loop) {
            timer.start(after: Self.releaseBound) { [unowned self] in finish(code) }
            leaderStatus.releaseTimer = timer
        }
        perform(elector!.release(now: leaderNow()))
    }

    static let releaseBound = Duration.seconds(2)

    func log(_ event: LeaderLogEvent) {
        let lease = "\(leaderStatus.lease)"
        switch event {
        case .acquired(let identity):
            logger.notice(
                "leading: acquired the Lease", metadata: [LogKeys.lease: "\(lease)", LogKeys.identity: "\(identity)"])
        case .lost(let reason):
            logger.error(
                "no longer leading: every write stops",
                metadata: [LogKeys.lease: "\(lease)", LogKeys.reason: "\(reason)"])
        case .holderChanged(let holder):
            logger.info(
                "Lease holder",
                metadata: [LogKeys.lease: "\(lease)", LogKeys.holder: "\(holder.isEmpty ? "(none)" : holder)"])
        case .requestFailed(let reason):
            logger.warning(
                "Lease request failed; retrying every retry period",
                metadata: [LogKeys.lease: "\(lease)", LogKeys.reason: "\(reason)"])
        case .requestsRecovered:
            logger.info("Lease requests succeed again", metadata: [LogKeys.lease: "\(lease)"])
        }
    }

    /// `/info`'s `leader` object.
    var leaderJSON: JSONValue {
        var object: [String: JSONValue] = [
            "elected": .bool(leaderStatus.unelectedReason == nil), "leading": .bool(writes),
            "identity": .string(leaderStatus.identity), "lease": .string(leaderStatus.lease),
        ]
        if let reason = leaderStatus.unelectedReason { object["notElectedBecause"] = .string(reason) }
        if let elector {
            object["holder"] = elector.observedHolder.map { .string($0) } ?? .null
            object["transitions"] = .int(Int64(elector.transitions))
        }
        if let renew = leaderStatus.lastRenew { object["lastRenewTimestampSeconds"] = .double(renew) }
        return .object(object)
    }

    private static func hostname() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return "omjob-operator" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
