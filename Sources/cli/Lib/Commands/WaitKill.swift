import ArgumentParser
import Foundation
import KubeJSON
import Shared

/// A duration on the command line: `90s`, `5m`, `1h`, `1h30m`, or plain seconds.
struct DurationArgument: ExpressibleByArgument, Sendable {
    var seconds: Double

    init?(argument: String) {
        if let plain = Double(argument), plain >= 0 {
            seconds = plain
            return
        }
        var total = 0.0
        var number = ""
        for character in argument {
            if character.isNumber || character == "." {
                number.append(character)
                continue
            }
            guard let value = Double(number) else { return nil }
            switch character {
            case "h": total += value * 3600
            case "m": total += value * 60
            case "s": total += value
            default: return nil
            }
            number = ""
        }
        guard number.isEmpty, !argument.isEmpty else { return nil }
        seconds = total
    }
}

/// `--for` of `wait`.
enum WaitCondition: String, ExpressibleByArgument, CaseIterable {
    /// Succeeded or Failed.
    case finished
    /// Succeeded; a run that ends Failed ends the wait with exit code 3.
    case succeeded
}

struct Wait: CLICommand {
    static let configuration = CommandConfiguration(
        abstract: "Wait until a run has finished (or succeeded); the exit code follows the run.",
        discussion:
            "Exit codes: 0 the condition holds, 3 the run ended Failed (--for=succeeded) or was deleted first, 4 --timeout passed, 1 error."
    )

    @OptionGroup var kube: KubeOptions
    @Argument(help: "The OMJob's name.") var name: String
    @Option(name: .customLong("for"), help: "finished or succeeded.") var condition: WaitCondition = .finished
    @Option(help: "Give up after this long (90s, 5m, 1h; default: no limit).") var timeout: DurationArgument?

    func execute(_ context: CLIContext) async throws -> ExitStatus {
        let connection = try Connection(kube, environment: context.environment)
        defer { connection.close() }
        let subject = "omjob \(connection.namespace)/\(name)"
        let (name, condition, timeout) = (self.name, self.condition, self.timeout)
        let outcome: WaitOutcome = try await withThrowingTaskGroup(of: WaitOutcome.self) { group in
            group.addTask { try await Self.waitLoop(name: name, condition: condition, connection) }
            if let timeout {
                group.addTask {
                    try await Task.sleep(for: .milliseconds(Int64(timeout.seconds * 1000)))
                    return .timedOut
                }
            }
            let first = try await group.next() ?? .timedOut
            group.cancelAll()
            return first
        }
        switch outcome {
        case .met(let job):
            context.terminal.line(
                "\(subject) \(RunWords.phase(job)): main pod \(RunWords.ending(job)), exit handler \(RunWords.exitHandler(job))"
            )
            return .success
        case .notMet(let job):
            context.terminal.error(
                "\(subject) ended \(RunWords.phase(job)): main pod \(RunWords.ending(job)), exit handler \(RunWords.exitHandler(job))"
            )
            return .conditionNotMet
        case .deleted:
            context.terminal.error(
                "\(subject) was deleted before it \(condition == .finished ? "finished" : "succeeded")")
            return .conditionNotMet
        case .timedOut:
            context.terminal.error("timed out waiting for \(subject) to be \(condition.rawValue)")
            return .timedOut
        }
    }

    enum WaitOutcome: Sendable {
        case met(OMJob)
        case notMet(OMJob)
        case deleted, timedOut
    }

    /// The outcome for `job`, or nil while it is undecided.
    static func judge(_ job: OMJob, _ condition: WaitCondition) -> WaitOutcome? {
        guard let phase = job.status?.phase, phase.isFinished else { return nil }
        switch condition {
        case .finished: return .met(job)
        case .succeeded: return phase == .succeeded ? .met(job) : .notMet(job)
        }
    }

    /// Reads the OMJob, then watches it from that version; after a watch ends (its timeout, a
    /// 410, a broken connection) reads it again.
    private static func waitLoop(name: String, condition: WaitCondition, _ connection: Connection) async throws
        -> WaitOutcome
    {
        let namespace = connection.namespace
        var first = true
        while true {
            try Task.checkCancellation()
            guard let current = try await connection.find(OMJob.self, Kinds.omjobs, namespace: namespace, name: name)
            else {
                if first {
                    throw CLIError(
                        "cannot wait for omjob \(namespace)/\(name): NotFound (404): omjobs \"\(name)\" not found")
                }
                return .deleted
            }
            first = false
            if let outcome = judge(current.model, condition) { return outcome }
            let options = WatchOptions(
                fieldSelector: "metadata.name=\(name)", resourceVersion: current.model.metadata.resourceVersion,
                allowWatchBookmarks: true, timeoutSeconds: 60)
            do throws(KubeError) {
                let events = try await connection.client.watch(
                    OMJob.self, resource: Kinds.omjobs, namespace: namespace, options: options)
                for try await event in events {
                    switch event {
                    case .added(let job), .modified(let job):
                        if let outcome = judge(job, condition) { return outcome }
                    case .deleted: return .deleted
                    case .bookmark, .error: continue
                    }
                }
            } catch {
                // A broken or expired watch is read again from the start; anything else is final.
                guard error.disposition != .permanent || error.isGone else {
                    throw CLIError.api(error, "watch", "omjob \(namespace)/\(name)")
                }
                try await Task.sleep(for: .seconds(1))
            }
        }
    }
}

struct Kill: CLICommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Delete a run, as OpenMetadata's kill does: the operator stops the main pod and still runs the exit handler."
    )

    @OptionGroup var kube: KubeOptions
    @Argument(help: "The OMJob's name.") var name: String
    @Flag(help: "Wait until the OMJob is gone (its exit handler has run).") var wait = false
    @Option(help: "With --wait: give up after this long (default 15m, the operator's kill deadline).") var timeout:
        DurationArgument?

    func execute(_ context: CLIContext) async throws -> ExitStatus {
        let connection = try Connection(kube, environment: context.environment)
        defer { connection.close() }
        let namespace = connection.namespace
        let subject = "omjob \(namespace)/\(name)"
        let answer: JSONValue
        do {
            answer = try await connection.client.delete(resource: Kinds.omjobs, namespace: namespace, name: name)
        } catch {
            throw CLIError.api(error, "kill", subject)
        }
        let held =
            answer[path: ["metadata", "finalizers"]]?.arrayValue?.contains(.string(OperatorLabels.finalizer)) ?? false
        if held {
            context.terminal.line(
                "\(subject) killed: the operator stops its main pod and runs its exit handler, then the OMJob goes")
        } else {
            context.terminal.line("\(subject) deleted (the operator had not taken it in: nothing was running)")
        }
        guard wait else { return .success }
        let limit = timeout?.seconds ?? 900
        let deadline = Date().addingTimeInterval(limit)
        while Date() < deadline {
            guard try await connection.find(OMJob.self, Kinds.omjobs, namespace: namespace, name: name) != nil else {
                context.terminal.line("\(subject) is gone")
                return .success
            }
            try await Task.sleep(for: .milliseconds(500))
        }
        context.terminal.error(
            "timed out after \(HumanAge.duration(limit)) waiting for \(subject) to go (see `kubectl omjob describe \(name)`)"
        )
        return .timedOut
    }
}
