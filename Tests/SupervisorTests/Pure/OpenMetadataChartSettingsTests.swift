import Foundation
import Testing

@testable import Shared
@testable import Supervisor

/// What OpenMetadata's Helm chart sends (WATCH_NAMESPACES=ALL, METRICS_PORT, RECONCILIATION_THREADS)
/// and where Kubernetes puts the run directory (a root-owned emptyDir, mode 0777 or 1777).
@Suite struct OpenMetadataChartSettingsTests {
    @Test(arguments: ["ALL", "all", " ALL ", "team-a,ALL", ""])
    func allMeansEveryNamespace(value: String) throws {
        #expect(try OperatorConfig(environment: ["WATCH_NAMESPACES": value]).watchNamespaces == [])
    }

    /// The chart's values have no schema: whatever a user puts in them must start the operator.
    @Test(arguments: ["8081", "http", "", "-1", "0"])
    func theChartsUnusedSettingsAreAcceptedWithAnyValue(value: String) throws {
        let config = try OperatorConfig(environment: [
            "METRICS_PORT": value, "RECONCILIATION_THREADS": value, "POLLING_INTERVAL_SECONDS": value,
            "REQUEUE_DELAY_SECONDS": value,
        ])
        #expect(config.executorWorkers == 2, "RECONCILIATION_THREADS does not size the executors")
    }

    @Test func theChartsUnusedSettingsAreListedWithWhatTheyMapTo() {
        for name in ["METRICS_PORT", "RECONCILIATION_THREADS", "POLLING_INTERVAL_SECONDS", "REQUEUE_DELAY_SECONDS"] {
            let setting = Settings.all.first { $0.name == name }
            #expect(setting?.help.contains("not used") == true, "\(name) is documented as accepted and unused")
        }
    }

    @Test(.enabled(if: getuid() == 0, "needs root to give the directory to another user"), arguments: [0o777, 0o1777])
    func aSharedWorldWritableRunDirectoryGetsAPrivateSubdirectory(mode: Int) throws {
        let shared = NSTemporaryDirectory() + "/omjob-emptydir-\(getpid())-\(mode)"
        #expect(mkdir(shared, 0o700) == 0)
        defer { try? FileManager.default.removeItem(atPath: shared) }
        #expect(chown(shared, 65534, 65534) == 0)
        #expect(chmod(shared, mode_t(mode)) == 0)
        let directory = try RunDirectory.prepare(shared)
        #expect(directory.path == shared + "/omjob-\(getuid())")
        var info = stat()
        #expect(stat(directory.path, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o700)
        #expect(info.st_uid == getuid())
        directory.remove()
    }

    @Test(.enabled(if: getuid() == 0, "needs root to give the directory to another user"))
    func anotherUsersPrivateDirectoryIsStillRefused() throws {
        let other = NSTemporaryDirectory() + "/omjob-other-\(getpid())"
        #expect(mkdir(other, 0o700) == 0)
        defer { try? FileManager.default.removeItem(atPath: other) }
        #expect(chown(other, 65534, 65534) == 0)
        #expect(throws: RunDirectory.Failure.self) { try RunDirectory.prepare(other) }
    }
}
