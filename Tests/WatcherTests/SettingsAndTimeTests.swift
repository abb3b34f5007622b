import Foundation
import Models
import Runtime
import Testing

@testable import Watcher

/// Operator-wide defaults from the environment, and the wire form of timestamps.
@Suite struct SettingsAndTimeTests {
    @Test func theEnvironmentOverridesDefaults() throws {
        let settings = try RunSettings(environment: [
            "OMJOB_NODE_LOST_THRESHOLD_SECONDS": "60", "OMJOB_EXIT_HANDLER_BACKOFF_LIMIT": "0",
        ])
        #expect(settings.nodeLostThreshold == 60)
        #expect(settings.exitHandlerBackoffLimit == 0)
        #expect(settings.mainPodStartDeadline == RunSettings().mainPodStartDeadline)
    }

    @Test func everySettingIsListedAndRead() throws {
        let names = RunSettings.environmentNames
        #expect(names.count == Set(names).count)
        let environment = Dictionary(uniqueKeysWithValues: names.map { ($0, "7") })
        let settings = try RunSettings(environment: environment)
        #expect(settings.exitHandlerBackoffLimit == 7)
        #expect(
            settings.killDeadline == 7 && settings.exitHandlerActiveDeadline == 7 && settings.deletionReportSlack == 7)
        let table = Set(Settings.all.filter { $0.readBy == .watcher }.map(\.name))
        #expect(Set(names) == table, "the watcher reads exactly its settings in the one table")
    }

    @Test(arguments: ["abc", "-5", "0", "1.5"])
    func aBadValueNamesTheSetting(value: String) {
        #expect(
            throws: ConfigError(setting: "OMJOB_KILL_DEADLINE_SECONDS", value: value, expected: "a whole number ≥ 1")
        ) {
            try RunSettings(environment: ["OMJOB_KILL_DEADLINE_SECONDS": value])
        }
    }

    @Test func retriesBackOffExponentiallyUpToTheCap() {
        var spec = OMJobSpec(mainPodSpec: nil)
        spec.exitHandlerBackoffSeconds = 5
        let limits = RunLimits(spec: spec, settings: RunSettings())
        #expect((1...4).map(limits.retryDelay(afterAttempt:)) == [5, 10, 20, 40])
        #expect(limits.retryDelay(afterAttempt: 40) == 300)
    }

    @Test(arguments: [
        ("2025-01-09T15:30:00Z", 1_736_436_600.0),
        ("2025-01-09T15:30:00.250000Z", 1_736_436_600.25),
        ("2025-01-09T16:30:00+01:00", 1_736_436_600.0),
        ("1970-01-01T00:00:00Z", 0),
        ("2024-02-29T23:59:59Z", 1_709_251_199),
    ])
    func timestampsParse(text: String, seconds: Double) {
        #expect(KubeTime.parse(text)?.timeIntervalSince1970 == seconds)
    }

    @Test(arguments: ["", "2025-01-09", "2025-01-09T15:30:00", "2025-13-09T15:30:00Z", "2025-01-09T15:30:00Zjunk"])
    func malformedTimestampsDoNot(text: String) {
        #expect(KubeTime.parse(text) == nil)
    }

    @Test func formattingRoundTrips() {
        for seconds in [0.0, 1_736_436_600, 1_709_251_199, 4_102_444_800] {
            let date = Date(timeIntervalSince1970: seconds)
            #expect(KubeTime.parse(KubeTime.format(date)) == date)
        }
        #expect(KubeTime.format(Date(timeIntervalSince1970: 1_736_436_600.9)) == "2025-01-09T15:30:00Z")
        #expect(KubeTime.format(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00Z")
        #expect(KubeTime.format(Date(timeIntervalSince1970: -1)) == "1969-12-31T23:59:59Z")
        #expect(KubeTime.format(Date(timeIntervalSince1970: 253_402_300_799)) == "9999-12-31T23:59:59Z")
    }

    /// Reasons as metav1.Condition accepts them: `[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?`.
    @Test(arguments: [
        ("OOMKilled", "OOMKilled"), ("NeverStarted/ImagePullBackOff", "NeverStarted_ImagePullBackOff"),
        ("exit 1", "exit_1"), ("1st", "Unknown_1st"), ("", "Unknown"), ("a:", "a:_"), ("x,y,", "x,y,_"),
        ("évincé", "Unknown__vinc_"), ("Node\r\nLost", "Node_Lost"), ("under_score", "under_score"),
    ])
    func conditionReasonsMatchTheAPIsPattern(reason: String, expected: String) {
        let mapped = OMJobStatus.conditionReason(reason)
        #expect(mapped == expected)
        #expect(mapped.wholeMatch(of: /[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?/) != nil)
    }
}
