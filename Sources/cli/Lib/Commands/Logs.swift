import ArgumentParser
import Foundation
import Shared
import Watcher

struct Logs: CLICommand {
    static let configuration = CommandConfiguration(
        abstract: "The main pod's log, or an exit-handler attempt's; -f follows the run into its exit handler.")

    @OptionGroup var kube: KubeOptions
    @Argument(help: "The OMJob's name.") var name: String
    @Flag(name: .customLong("exit-handler"), help: "The exit handler's log (the latest attempt unless --attempt).")
    var exitHandler = false
    @Option(help: "Which exit-handler attempt (1, 2, …).") var attempt: Int?
    @Flag(
        name: [.short, .long],
        help: "Follow: stream the log, then each exit-handler attempt, until the run has finished.") var follow = false
    @Option(help: "Only the last N lines (without -f).") var tail: Int?

    func validate() throws {
        if attempt != nil, !exitHandler { throw ValidationError("--attempt needs --exit-handler") }
        if let attempt, attempt < 1 { throw ValidationError("--attempt counts from 1") }
        if tail != nil, follow { throw ValidationError("--tail cannot be used with -f") }
    }

    func execute(_ context: CLIContext) async throws -> ExitStatus {
        let connection = try Connection(kube, environment: context.environment)
        defer { connection.close() }
        if follow { return try await followRun(connection, context) }
        let tree = try await RunTree.load(name: name, connection: connection)
        let pod: String
        if exitHandler {
            let pods = tree.exitPods
            if let attempt {
                guard let match = pods.first(where: { RunTree.attempt($0) == attempt }) else {
                    throw CLIError(
                        "omjob \(connection.namespace)/\(name) has no exit-handler pod for attempt \(attempt) (pods: \(pods.map(\.name).joined(separator: ", ")))"
                    )
                }
                pod = match.name
            } else {
                guard let latest = pods.last?.name ?? tree.omjob.model.status?.exitHandlerPodName else {
                    throw CLIError(
                        "omjob \(connection.namespace)/\(name) has no exit-handler pod yet (phase \(RunWords.phase(tree.omjob.model)))"
                    )
                }
                pod = latest
            }
        } else {
            pod = tree.main?.name ?? tree.omjob.model.status?.mainPodName ?? PodNaming.mainPodName(omJob: name)
        }
        // A pod that has not started has no log; the server answers with nothing, so say why.
        if let found = (tree.exitPods + [tree.main].compactMap { $0 }).first(where: { $0.name == pod }),
            !Self.hasStarted(found.model)
        {
            context.terminal.error(
                "note: pod \(connection.namespace)/\(pod) has not started (\(found.model.status?.phase ?? "Pending")): no log yet"
            )
        }
        do {
            context.terminal.write(
                try await connection.client.logs(
                    namespace: connection.namespace, pod: pod, container: PodBuilder.containerName, tailLines: tail))
        } catch {
            throw CLIError.api(error, "read the log of", "pod \(connection.namespace)/\(pod)")
        }
        return .success
    }

    /// Streams each pod of the run in turn (main, then exit-handler attempts) as it starts, until
    /// the run has finished and every pod that ran was followed. A header on standard error names
    /// each pod, so standard output holds only the logs.
    private func followRun(_ connection: Connection, _ context: CLIContext) async throws -> ExitStatus {
        let namespace = connection.namespace
        var followed = Set<String>()
        while true {
            let omjob = try await connection.find(OMJob.self, Kinds.omjobs, namespace: namespace, name: name)
            guard let omjob else {
                if followed.isEmpty { throw CLIError("cannot follow omjob \(namespace)/\(name): NotFound") }
                context.terminal.error("==> omjob \(namespace)/\(name) was deleted <==")
                return .success
            }
            let pods = try await connection.list(
                Pod.self, Kinds.pods, namespace: namespace,
                labelSelector: "\(OperatorLabels.omJobName)=\(PodNaming.labelValue(name))")
            let tree = RunTree(omjob: omjob, pods: pods, events: [])
            var candidates: [(Raw<Pod>, String)] = []
            if !exitHandler, let main = tree.main { candidates.append((main, "main")) }
            candidates += tree.exitPods.map { ($0, "exit handler, attempt \(RunTree.attempt($0))") }
            let pending = candidates.filter { !followed.contains($0.0.name) }
            if let next = pending.first(where: { Self.hasStarted($0.0.model) }) {
                let (pod, label) = next
                // Pods before it that never started are passed over: they have no log.
                for skipped in pending.prefix(while: { $0.0.name != pod.name }) { followed.insert(skipped.0.name) }
                context.terminal.error("==> \(pod.name) (\(label)) <==")
                try await stream(pod.name, connection, context)
                followed.insert(pod.name)
                continue
            }
            let finished = omjob.model.status?.phase?.isFinished ?? false
            if finished, pending.allSatisfy({ !Self.hasStarted($0.0.model) }) {
                let phase = RunWords.phase(omjob.model)
                context.terminal.error(
                    "==> omjob \(namespace)/\(name) \(phase); exit handler \(RunWords.exitHandler(omjob.model)) <==")
                return .success
            }
            try await Task.sleep(for: .milliseconds(500))
        }
    }

    /// True once the pod's container has started, so that its log can be read.
    static func hasStarted(_ pod: Pod) -> Bool {
        let state = pod.containerStatus(named: PodBuilder.containerName)?.state
        if state?.running != nil || state?.terminated != nil { return true }
        return pod.status?.phase == "Running" || pod.status?.phase == "Succeeded" || pod.status?.phase == "Failed"
    }

    private func stream(_ pod: String, _ connection: Connection, _ context: CLIContext) async throws {
        do {
            let lines = try await connection.client.followLogs(
                namespace: connection.namespace, pod: pod, container: PodBuilder.containerName)
            for try await batch in lines {
                context.terminal.write(batch.map { String(decoding: $0, as: UTF8.self) + "\n" }.joined())
            }
        } catch let error as KubeError {
            context.terminal.error(
                "==> cannot follow pod \(connection.namespace)/\(pod): \(CLIError.api(error, "read the log of", "it").message) <=="
            )
        } catch {
            context.terminal.error("==> the log of pod \(connection.namespace)/\(pod) broke off: \(error) <==")
        }
    }
}
