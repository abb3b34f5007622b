import Testing

@testable import Runtime

/// The one settings table: every role's settings checked at once, each bad one named.
@Suite struct SettingsValidationTests {
    @Test func theDefaultsPassEveryRule() {
        #expect(Settings.problems(in: [:]).isEmpty)
    }

    @Test func namesAreUnique() {
        let names = Settings.all.map(\.name)
        #expect(names.count == Set(names).count)
    }

    @Test func everyIntegerDefaultIsWithinItsRange() {
        for setting in Settings.all {
            guard case .integer(let range) = setting.rule else { continue }
            #expect(range.contains(setting.defaultInteger), "\(setting.name)")
        }
    }

    /// Every role's bad settings, named together, in the table's order.
    @Test func everyBadSettingOfEveryRoleIsNamed() {
        let problems = Settings.problems(in: [
            "OMJOB_GC_DEFAULT_TTL_SECONDS": "1d", "OMJOB_KILL_DEADLINE_SECONDS": "0", "EXECUTOR_WORKERS": "many",
            "OMJOB_GC_DELETE_OMJOB_AFTER_TTL": "maybe", "OMJOB_EXIT_HANDLER_BACKOFF_LIMIT": "-1", "LOG_LEVEL": "info",
        ])
        #expect(
            problems.map(\.setting) == [
                "EXECUTOR_WORKERS", "OMJOB_KILL_DEADLINE_SECONDS", "OMJOB_EXIT_HANDLER_BACKOFF_LIMIT",
                "OMJOB_GC_DELETE_OMJOB_AFTER_TTL", "OMJOB_GC_DEFAULT_TTL_SECONDS",
            ])
        #expect(
            problems.last?.description
                == "invalid value \"1d\" for OMJOB_GC_DEFAULT_TTL_SECONDS: expected a whole number ≥ 0")
    }

    /// A rule between settings is checked too, even when another setting is also bad.
    @Test func leaseTimingsAreCheckedBesideOtherBadValues() {
        let problems = Settings.problems(in: [
            "LEADER_ELECTION_RENEW_DEADLINE_MS": "20000", "OMJOB_GC_DEFAULT_HISTORY_LIMIT": "x",
        ])
        #expect(problems.map(\.setting) == ["OMJOB_GC_DEFAULT_HISTORY_LIMIT", "LEADER_ELECTION_RENEW_DEADLINE_MS"])
    }

    /// What the supervisor refuses, a worker would refuse too: the table and the readers agree.
    @Test(arguments: [
        ("EXECUTOR_WORKERS", "0"), ("LEADER_ELECTION", "maybe"), ("SHARD", "Team_A"), ("LEASE_NAME", "-x"),
        ("HEARTBEAT_INTERVAL_MS", "5"), ("OMJOB_INSTANCE", "-1"),
    ])
    func operatorConfigRefusesWhatTheTableRefuses(name: String, value: String) {
        #expect(Settings.problems(in: [name: value]).map(\.setting) == [name])
        #expect(throws: ConfigError.self) { try OperatorConfig(environment: [name: value]) }
    }

    @Test(arguments: [
        (SettingRule.integer(0...Int.max), "a whole number ≥ 0"), (.integer(1...64), "an integer from 1 to 64"),
        (.boolean, "true or false"), (.choice(["auto", "true", "false"]), "auto or true or false"),
    ])
    func rulesSayWhatTheyAccept(rule: SettingRule, expected: String) {
        #expect(rule.expected == expected)
    }

    @Test func spacesAroundAValueAreIgnored() throws {
        #expect(
            try SettingReader(environment: ["OMJOB_GC_DEFAULT_TTL_SECONDS": " 60 "]).int(Settings.gcDefaultTTL) == 60)
        #expect(
            try SettingReader(environment: ["OMJOB_GC_DELETE_OMJOB_AFTER_TTL": "YES"]).bool(
                Settings.gcDeleteOMJobAfterTTL))
    }

    @Test func helpSaysWhichRoleReadsARoleSetting() {
        #expect(Settings.helpText.contains("OMJOB_GC_DEFAULT_TTL_SECONDS (default: 86400) [gc]"))
        #expect(Settings.helpText.contains("OMJOB_KILL_DEADLINE_SECONDS (default: 900) [watcher]"))
        #expect(Settings.helpText.contains("EXECUTOR_WORKERS (default: 2)\n"))
    }
}
