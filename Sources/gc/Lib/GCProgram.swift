import ArgumentParser
import Shared

#if canImport(Glibc)
    import Glibc
#endif

/// `omjob-gc`: TTL cleanup, CronOMJob history limits, stale-finalizer janitor.
public struct GCProgram: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "omjob-gc", abstract: "omjob-operator garbage collector process (started by omjob-supervisor).",
        discussion: Settings.helpText)

    public init() {}

    public func run() throws {
        Allocator.useFixedThresholds()
        let environment = ProcessEnvironment.current
        let (settings, cluster): (GCSettings, ClusterConfiguration)
        do {
            // Operator-wide settings first, as every role checks them (WorkerMain does it again later).
            _ = try OperatorConfig(environment: environment)
            (settings, cluster) = try GCWorker.settings(environment: environment)
        } catch {
            FileOutput.standardError("omjob-gc: \(error)\n")
            throw ExitCode(ConfigError.exitCode)
        }
        lowerPriority()
        WorkerMain.run(role: GC.role) { session in
            GCWorker.attach(to: session, settings: settings, cluster: cluster, environment: environment)
        }
    }

    /// The gc's niceness. Its work is never urgent (TTLs, history limits, stale-finalizer reports),
    /// while a sweep costs tens of milliseconds of CPU per 1,000 OMJobs: on a busy node those
    /// bursts showed up in the exit-handler start latency's tail. Lower priority lets the
    /// watcher and executors go first; the gc still gets every idle cycle.
    static let niceness: Int32 = 10

    private func lowerPriority() {
        #if canImport(Glibc)
            // Best effort: a refused change (a seccomp profile, say) leaves the gc as it was.
            _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, Self.niceness)
        #endif
    }
}
