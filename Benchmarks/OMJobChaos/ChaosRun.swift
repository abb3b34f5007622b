import BenchHarness
import Foundation
import KubeSim

/// One chaos run: submit with endings drawn from the seed, disrupt, settle, verify.
struct ChaosRun {
    let command: ChaosCommand
    let cluster: BenchCluster
    let trees: [OperatorTree]

    func run() async throws -> ChaosReport {
        let clock = ContinuousClock()
        let started = clock.now
        for tree in trees {
            try tree.start()
            try await tree.waitUntilReady(timeout: 120)
        }
        var random = SeededRandom(seed: command.seed)
        let endings = (0..<command.runs).map { _ in Ending.allCases.randomElement(using: &random)! }
        let expected = Dictionary(uniqueKeysWithValues: endings.enumerated().map { ("c-\($0.offset)", $0.element) })

        let recorder = RunRecorder()
        try recorder.attach(to: cluster.sim, namespace: cluster.namespace)
        let trail = EventTrail()
        try trail.attach(to: cluster)
        let samplers = trees.map { BackgroundSampler($0) }
        let deleter = MainPodDeleter()
        deleter.start(cluster: cluster)
        if !command.noFaults { FaultPlan.install(on: cluster.sim) }
        let lease = Self.leaseHolder(cluster)
        let disruptor = Disruptor(trees: trees, leaseHolder: lease)
        disruptor.start(seed: command.seed &+ 1, meanSeconds: command.killEvery, treeKills: command.treeKills)

        var notes: [String] = []
        do {
            _ = try await Submitter.run(
                total: command.runs, inFlight: command.inFlight, stallSeconds: command.settle,
                submit: { index in
                    let name = "c-\(index)"
                    let ending = endings[index]
                    if let grace = ending.deletionGrace { deleter.add(run: name, grace: grace) }
                    _ = try cluster.sim.store.create(
                        BenchCluster.omjobs, namespace: cluster.namespace,
                        object: OMJobFactory.omJob(
                            name, namespace: cluster.namespace, mainAnnotations: ending.annotations))
                }, finished: { recorder.finished })
        } catch {
            notes.append("submission: \(error)")
        }
        await disruptor.stop()
        cluster.sim.faults.removeAll()
        let settled = (try? await waitFor("every run settled", timeout: command.settle) { isSettled() }) != nil
        if !settled { notes.append("not settled after \(Int(command.settle)) s without disruption") }
        await deleter.stop()
        for sampler in samplers { await sampler.stop() }

        let violations = Verifier(expected: expected).check(omJobs: cluster.omJobs(), pods: cluster.pods())
        return ChaosReport(
            runs: command.runs, seed: command.seed, endings: endings, kills: disruptor.snapshot,
            faults: FaultPlan.injected(cluster.sim), deletions: deleter.count, violations: violations,
            notes: notes, seconds: (clock.now - started).milliseconds / 1000,
            cpuSeconds: trees.map(\.sampler.cpuSeconds).reduce(0, +),
            peak: trees.map(\.sampler.peakSample).max { $0.pssMB < $1.pssMB }!,
            processesSeen: trees.map(\.sampler.processesSeen).reduce(0, +), replicas: trees.count,
            logLines: { name in
                trail.trail(name, requests: cluster.requests) + trees.flatMap { Self.logLines($0, mentioning: name) }
            })
    }

    /// Reads the Lease the trees elect on (kubesim's store, in the operator's namespace "default").
    static func leaseHolder(_ cluster: BenchCluster) -> @Sendable () -> String? {
        {
            (try? cluster.sim.store.get(.leases, namespace: "default", name: ChaosCommand.leaseName))?["spec"]?[
                "holderIdentity"]?.stringValue
        }
    }

    /// Every OMJob terminal, and no finalizer or pending/running pod left.
    private func isSettled() -> Bool {
        let terminal: Set<String> = ["Succeeded", "Failed"]
        return cluster.omJobs().allSatisfy {
            terminal.contains($0[path: ["status", "phase"]]?.stringValue ?? "")
                && ($0[path: ["metadata", "finalizers"]]?.arrayValue ?? []).isEmpty
        }
            && cluster.pods().allSatisfy {
                terminal.contains($0[path: ["status", "phase"]]?.stringValue ?? "")
                    && ($0[path: ["metadata", "finalizers"]]?.arrayValue ?? []).isEmpty
            }
    }

    static func logLines(_ tree: OperatorTree, mentioning name: String) -> [String] {
        guard let data = FileManager.default.contents(atPath: tree.logFile) else { return [] }
        let quoted = "\"\(name)\""
        let slashed = "/\(name)\""
        return String(decoding: data, as: UTF8.self).split(separator: "\n")
            .filter {
                $0.contains(quoted) || $0.contains(slashed) || $0.contains("\(name)-main")
                    || $0.contains("\(name)-exit")
            }
            .suffix(6).map(String.init)
    }
}
