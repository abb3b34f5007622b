import BenchHarness
import Foundation

/// The measured part: the real tree, once ready and idle, runs `runs` OMJobs with `inFlight`
/// at once under each schedule in turn (the same tree, so the later schedules run with the
/// earlier schedules' finished OMJobs known, as a cluster has them).
enum OperatorPhase {
    /// How long the ready tree is watched doing nothing before the runs start.
    static let idleSeconds = 3.0

    static func run(
        cluster: BenchCluster, settings: [String: String], schedules: [RunSchedule], into result: inout BenchResult
    ) async throws {
        let tree = try OperatorTree(cluster: cluster, settings: settings)
        let clock = ContinuousClock()
        let started = clock.now
        try tree.start()
        defer { tree.stop() }
        try await tree.waitUntilReady(timeout: 120)
        result.startToReadyEmptySeconds = (clock.now - started).milliseconds / 1000
        // Steady state with nothing to do (after the informers' watches have opened): any
        // request here would be polling.
        try await Task.sleep(for: .seconds(1))
        let idleBefore = cluster.requests.snapshot
        try await Task.sleep(for: .seconds(Self.idleSeconds))
        result.idle = tree.sample()
        result.idleRequestsPerMinute =
            Double(cluster.requests.since(idleBefore).values.reduce(0, +)) * 60 / Self.idleSeconds
        for schedule in schedules {
            result.schedules.append(
                try await measure(
                    tree: tree, cluster: cluster, schedule: schedule, runs: result.runs, inFlight: result.inFlight))
        }
        try await Task.sleep(for: .seconds(2))
        result.steady = tree.sample()
    }

    /// One schedule: OMJobs named `<mode>-<index>`, main pod `index` running `schedule.mainSeconds(index)`.
    static func measure(tree: OperatorTree, cluster: BenchCluster, schedule: RunSchedule, runs: Int, inFlight: Int)
        async throws -> ScheduleResult
    {
        var result = ScheduleResult(schedule)
        let prefix = schedule.mode + "-"
        let recorder = RunRecorder(runPrefix: prefix)
        try recorder.attach(to: cluster.sim, namespace: cluster.namespace)
        let requestsBefore = cluster.requests.snapshot
        let detailedBefore = cluster.requests.detailedSnapshot
        let cpuBefore = tree.sampler.cpuSeconds
        tree.sampler.resetPeak()
        let sampler = BackgroundSampler(tree)
        let namespace = cluster.namespace
        let elapsed = try await Submitter.run(
            total: runs, inFlight: inFlight,
            submit: { index in
                _ = try cluster.sim.store.create(
                    BenchCluster.omjobs, namespace: namespace,
                    object: OMJobFactory.omJob(
                        prefix + String(index), namespace: namespace, mainAnnotations: schedule.mainAnnotations(index)))
            }, finished: { recorder.finished })
        try await waitForFinalizersReleased(cluster)
        await sampler.stop()
        tree.sample()
        result.cpuSecondsPer1000Runs = (tree.sampler.cpuSeconds - cpuBefore) / Double(runs) * 1000
        result.requestsPerRun = cluster.requests.since(requestsBefore).mapValues { Double($0) / Double(runs) }
        result.requestsPerRunByResource = cluster.requests.since(detailedBefore, detailed: true).mapValues {
            Double($0) / Double(runs)
        }
        result.peak = tree.sampler.peakSample
        result.wallSeconds = elapsed.milliseconds / 1000
        result.runsPerSecond = Double(runs) / result.wallSeconds
        result.exitStart = LatencySummary(recorder.exitStartLatencies)
        result.endings = recorder.endingPace(firstWave: inFlight)
        result.processesSeen = tree.sampler.processesSeen
        return result
    }

    /// A run's lifecycle ends when its finalizers are released, after its terminal phase: its
    /// writes count too (bounded wait; a run still holding one is reported as is).
    static func waitForFinalizersReleased(_ cluster: BenchCluster) async throws {
        let lifecycleEnd = ContinuousClock.now.advanced(by: .seconds(30))
        while cluster.omJobs().contains(where: { !($0[path: ["metadata", "finalizers"]]?.arrayValue ?? []).isEmpty }),
            ContinuousClock.now < lifecycleEnd
        {
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}
