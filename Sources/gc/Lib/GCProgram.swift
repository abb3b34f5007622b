import ArgumentParser

#if canImport(Glibc)
    import Glibc
    import BrokerProtocol
    import KubeAPI
    import Runtime
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
    /// while a sweep costs tens of milliseconds of CPU per 1,000 OMJobs. Lower priority lets the
    /// watcher and executors go first when the CPU is short; the gc still gets every idle cycle.
    /// omjob-bench's spread measured no difference either way (docs/performance.md): a safeguard
    /// for busy nodes, not a measured gain.
    static let niceness: Int32 = 10

    private func lowerPriority() {
        #if canImport(Glibc)
            // Best effort: a refused change (a seccomp profile, say) leaves the gc as it was.
            _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, Self.niceness)
        #endif
    }
}
