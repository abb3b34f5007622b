import Logging
import Testing

@testable import Runtime

/// Settings from the environment: defaults, valid values, and an error naming the variable.
@Suite struct ConfigTests {
    @Test func defaults() throws {
        let config = try OperatorConfig(environment: [:])
        #expect(config.watchNamespaces == [])
        #expect(config.healthCheckPort == 8080)
        #expect(config.executorWorkers == 2)
        #expect(config.logLevel == .info)
        #expect(config.shutdownGrace == .seconds(20))
    }

    @Test func javaOperatorNamesAndOurs() throws {
        let config = try OperatorConfig(environment: [
            "WATCH_NAMESPACES": " team-a, team-b ,", "LOG_LEVEL": "DEBUG", "HEALTH_CHECK_PORT": "0",
            "OPERATOR_NAMESPACE": "omjob-system", "EXECUTOR_WORKERS": "4", "HEARTBEAT_INTERVAL_MS": "250",
        ])
        #expect(config.watchNamespaces == ["team-a", "team-b"])
        #expect(config.logLevel == .debug)
        #expect(config.healthCheckPort == 0)
        #expect(config.operatorNamespace == "omjob-system")
        #expect(config.executorWorkers == 4)
        #expect(config.heartbeatInterval == .milliseconds(250))
    }

    @Test(arguments: [
        ("EXECUTOR_WORKERS", "zero"), ("EXECUTOR_WORKERS", "0"), ("EXECUTOR_WORKERS", "65"),
        ("HEALTH_CHECK_PORT", "70000"), ("HEALTH_CHECK_PORT", "-1"), ("LOG_LEVEL", "LOUD"),
        ("SHUTDOWN_GRACE_SECONDS", "1.5"), ("RESTART_INTENSITY", "-3"), ("BROKER_QUEUE_LIMIT", "0"),
        ("LEADER_ELECTION", "maybe"), ("SHARD", "Team_A"), ("LEASE_NAME", "-x"),
        ("LEADER_ELECTION_RENEW_DEADLINE_MS", "15000"), ("LEADER_ELECTION_RETRY_PERIOD_MS", "9000"),
    ])
    func badValueNamesTheVariable(name: String, value: String) {
        #expect(throws: ConfigError.self) { try OperatorConfig(environment: [name: value]) }
        do {
            _ = try OperatorConfig(environment: [name: value])
        } catch {
            #expect(error.setting == name)
            #expect(error.description.contains(name) && error.description.contains(value))
        }
    }

    @Test func leaderElectionDefaultsAreClientGos() throws {
        let config = try OperatorConfig(environment: [:])
        #expect(config.leaderElection)
        #expect(
            (config.leaseDuration, config.renewDeadline, config.retryPeriod) == (
                .seconds(15), .seconds(10), .seconds(2)
            ))
        #expect(config.leaseName == "omjob-operator")
    }

    /// Shards never share a Lease: named by SHARD, else by the set of namespaces (in any order).
    @Test func eachShardHasItsOwnLease() throws {
        func lease(_ env: [String: String]) throws -> String { try OperatorConfig(environment: env).leaseName }
        #expect(try lease(["SHARD": "team-a"]) == "omjob-operator-team-a")
        let ab = try lease(["WATCH_NAMESPACES": "team-a,team-b"])
        #expect(ab.hasPrefix("omjob-operator-ns-") && ab.count == "omjob-operator-ns-".count + 8)
        #expect(try lease(["WATCH_NAMESPACES": "team-b, team-a"]) == ab)
        #expect(try lease(["WATCH_NAMESPACES": "team-c"]) != ab)
        #expect(try lease(["WATCH_NAMESPACES": "ALL"]) == "omjob-operator")
        #expect(try lease(["LEASE_NAME": "mine", "SHARD": "x"]) == "mine")
        // The shard also labels the Lease.
        #expect(try OperatorConfig(environment: ["SHARD": "team-a"]).shard == "team-a")
        #expect(try OperatorConfig(environment: [:]).shard == "")
    }

    /// A selector shard: its own Lease per selector (and per namespace set), a bad selector is
    /// a clear error naming the setting.
    @Test func aSelectorShardHasItsOwnLeaseAndABadSelectorIsAnError() throws {
        func lease(_ env: [String: String]) throws -> String { try OperatorConfig(environment: env).leaseName }
        let metadata = try lease(["OMJOB_SHARD_SELECTOR": "app.kubernetes.io/pipeline-type=metadata"])
        let others = try lease(["OMJOB_SHARD_SELECTOR": "app.kubernetes.io/pipeline-type!=metadata"])
        #expect(metadata.hasPrefix("omjob-operator-sel-") && metadata.count == "omjob-operator-sel-".count + 8)
        #expect(metadata != others)
        #expect(
            try lease(["OMJOB_SHARD_SELECTOR": "app.kubernetes.io/pipeline-type=metadata", "WATCH_NAMESPACES": "a"])
                != metadata)
        #expect(try lease(["OMJOB_SHARD_SELECTOR": "x=y", "SHARD": "team-a"]) == "omjob-operator-team-a")
        #expect(
            try OperatorConfig(environment: ["OMJOB_SHARD_SELECTOR": " x in (a, b) "]).shardSelector?.text
                == "x in (a, b)")
        #expect(try OperatorConfig(environment: [:]).shardSelector == nil)
        do {
            _ = try OperatorConfig(environment: ["OMJOB_SHARD_SELECTOR": "pipeline-type in metadata"])
            Issue.record("accepted `in` without a parenthesised list")
        } catch {
            #expect(error.setting == "OMJOB_SHARD_SELECTOR")
        }
    }

    @Test func emptyValueMeansDefault() throws {
        #expect(try OperatorConfig(environment: ["EXECUTOR_WORKERS": ""]).executorWorkers == 2)
    }

    @Test func helpListsEverySetting() {
        for setting in Settings.all { #expect(Settings.helpText.contains(setting.name)) }
        #expect(Settings.helpText.contains("exit code 100"))
    }

    @Test func redactionHidesSecrets() {
        var table = Settings.all
        table.append(Setting("API_TOKEN", default: nil, "", secret: true))
        let shown = Settings.redacted(["LOG_LEVEL": "WARN", "API_TOKEN": "s3cr3t"], table: table)
        #expect(shown["API_TOKEN"] == "<redacted>")
        #expect(shown["LOG_LEVEL"] == "WARN")
        #expect(!shown.values.contains("s3cr3t"))
        #expect(Set(Settings.redacted([:]).keys) == Set(Settings.all.map(\.name)))
    }

    @Test(arguments: [
        ("TRACE", Logger.Level.trace), ("debug", .debug), ("Info", .info), ("WARN", .warning), ("warning", .warning),
        ("ERROR", .error),
    ])
    func levelNames(name: String, level: Logger.Level) {
        #expect(Logger.Level(operatorName: name) == level)
    }
}
