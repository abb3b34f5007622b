import ArgumentParser
import Foundation
import KubeJSON
import Shared
import Watcher

/// The pure part of `rerun`, tested on its own.
public enum RerunPlan {
    /// Annotation naming the run a rerun was made from.
    public static let rerunOfAnnotation = "omjob.pipelines.openmetadata.org/rerun-of"

    /// The new OMJob for `original` (as the server returned it) with run id `runID`, named `name`
    /// (default: OpenMetadata's pattern, the original's name with the new run id's first 8
    /// characters in place of the old one's, or appended).
    ///
    /// Every string in the spec that holds the old run id gets the new one (the `pipelineRunId`
    /// variable, the pod labels, the workflow config that repeats it), and a value that is exactly
    /// the old name (`jobName`) gets the new name. Server-set metadata, finalizers and status are dropped.
    public static func rerun(of original: JSONValue, runID: String, name: String? = nil) -> JSONValue {
        let oldName = original[path: ["metadata", "name"]]?.stringValue ?? ""
        // The run id is the label OpenMetadata sets; a run without it may still carry it in `pipelineRunId`.
        let oldRunID =
            original[path: ["metadata", "labels", OperatorLabels.runID]]?.stringValue
            ?? original[path: ["spec", "mainPodSpec", "env"]]?.arrayValue?.first {
                $0["name"]?.stringValue == "pipelineRunId"
            }?["value"]?.stringValue
        let newName = name ?? defaultName(oldName: oldName, oldRunID: oldRunID, runID: runID)

        var metadata: [String: JSONValue] = ["name": .string(newName)]
        let old = original["metadata"]?.objectValue ?? [:]
        for key in ["namespace", "ownerReferences"] { if let value = old[key] { metadata[key] = value } }
        var labels = old["labels"]?.objectValue ?? [:]
        labels[OperatorLabels.runID] = .string(runID)
        metadata["labels"] = .object(labels)
        var annotations = old["annotations"]?.objectValue ?? [:]
        annotations["kubectl.kubernetes.io/last-applied-configuration"] = nil
        annotations[rerunOfAnnotation] = .string(oldName)
        metadata["annotations"] = .object(annotations)

        var spec = original["spec"] ?? .null
        spec = replaced(spec, oldRunID: oldRunID, runID: runID, oldName: oldName, newName: newName)
        return [
            "apiVersion": .string(OMJob.resourceType.apiVersion), "kind": .string(OMJob.resourceType.kind),
            "metadata": .object(metadata), "spec": spec,
        ]
    }

    static func defaultName(oldName: String, oldRunID: String?, runID: String) -> String {
        let newShort = String(runID.prefix(8))
        if let oldRunID, oldName.hasSuffix("-" + oldRunID.prefix(8)) {
            return String(oldName.dropLast(8)) + newShort
        }
        var head = String(oldName.prefix(63 - 9))
        while head.hasSuffix("-") { head.removeLast() }
        return head + "-" + newShort
    }

    private static func replaced(_ value: JSONValue, oldRunID: String?, runID: String, oldName: String, newName: String)
        -> JSONValue
    {
        switch value {
        case .string(let text):
            if text == oldName { return .string(newName) }
            if let oldRunID, !oldRunID.isEmpty, text.contains(oldRunID) {
                return .string(text.replacingOccurrences(of: oldRunID, with: runID))
            }
            return value
        case .array(let items):
            return .array(
                items.map { replaced($0, oldRunID: oldRunID, runID: runID, oldName: oldName, newName: newName) })
        case .object(let members):
            return .object(
                members.mapValues { replaced($0, oldRunID: oldRunID, runID: runID, oldName: oldName, newName: newName) }
            )
        default:
            return value
        }
    }
}

/// A run id as OpenMetadata makes them: a lower-case UUID.
func newRunID() -> String { UUID().uuidString.lowercased() }

/// Prints a created object as `-o` asks.
func printCreated(_ object: JSONValue, output: DocumentOutput?, message: String, terminal: Terminal) {
    switch output {
    case .json: terminal.write(MachineFormat.json.render(object))
    case .yaml: terminal.write(MachineFormat.yaml.render(object))
    case .name:
        terminal.line("omjob.pipelines.openmetadata.org/\(object[path: ["metadata", "name"]]?.stringValue ?? "")")
    case nil: terminal.line(message)
    }
}

struct Rerun: CLICommand {
    static let configuration = CommandConfiguration(
        abstract: "Start a new run from a run's spec, with a fresh app.kubernetes.io/run-id.")

    @OptionGroup var kube: KubeOptions
    @Argument(help: "The OMJob to run again.") var name: String
    @Option(
        name: .customLong("name"),
        help: "Name of the new OMJob (default: the old name with the new run id's first 8 characters).") var newName:
        String?
    @Option(name: [.short, .long], help: "json, yaml or name: print the new OMJob.") var output: DocumentOutput?

    func execute(_ context: CLIContext) async throws -> ExitStatus {
        let connection = try Connection(kube, environment: context.environment)
        defer { connection.close() }
        let namespace = connection.namespace
        let original = try await connection.get(JSONValue.self, Kinds.omjobs, namespace: namespace, name: name)
        let runID = newRunID()
        let run = RerunPlan.rerun(of: original.json, runID: runID, name: newName)
        let created: JSONValue
        let newName = run[path: ["metadata", "name"]]?.stringValue ?? ""
        do {
            created = try await connection.client.create(
                run, resource: Kinds.omjobs, namespace: namespace, name: newName)
        } catch {
            throw CLIError.api(error, "create", "omjob \(namespace)/\(newName) (rerun of \(name))")
        }
        printCreated(
            created, output: output,
            message: "omjob \(namespace)/\(newName) created (rerun of \(name), run id \(runID))",
            terminal: context.terminal)
        return .success
    }
}

struct Trigger: CLICommand {
    static let configuration = CommandConfiguration(
        abstract: "Start a CronOMJob's run now, named and labelled as its scheduled runs are.")

    /// Annotation that tells a run started by hand from a scheduled one.
    static let triggeredAnnotation = "omjob.pipelines.openmetadata.org/triggered-by"

    @OptionGroup var kube: KubeOptions
    @Argument(help: "The CronOMJob's name.") var cron: String
    @Option(name: [.short, .long], help: "json, yaml or name: print the new OMJob.") var output: DocumentOutput?

    func execute(_ context: CLIContext) async throws -> ExitStatus {
        let connection = try Connection(kube, environment: context.environment)
        defer { connection.close() }
        let namespace = connection.namespace
        let schedule = try await connection.get(CronOMJob.self, Kinds.cronomjobs, namespace: namespace, name: cron)
        guard let spec = schedule.model.spec else { throw CLIError("cronomjob \(namespace)/\(cron) has no spec") }
        let slot = Int64(context.now().timeIntervalSince1970)
        var run = CronRunBuilder.run(of: schedule.model, spec: spec, slot: slot, runID: newRunID())
        run.metadata.annotations?[Self.triggeredAnnotation] = "kubectl-omjob"
        let name = run.metadata.name ?? ""
        let created: Raw<JSONValue>
        do {
            created = try await connection.client.create(
                run, resource: Kinds.omjobs, namespace: namespace, name: name, answer: Raw<JSONValue>.self)
        } catch  where error.isAlreadyExists {
            throw CLIError(
                "cannot trigger cronomjob \(namespace)/\(cron): its run for this second, omjob \(name), exists already (AlreadyExists); try again in a second"
            )
        } catch {
            throw CLIError.api(error, "trigger", "cronomjob \(namespace)/\(cron) (creating omjob \(name))")
        }
        let suspended = spec.suspend == true ? " (the schedule itself is suspended)" : ""
        printCreated(
            created.json, output: output,
            message:
                "omjob \(namespace)/\(name) created from cronomjob \(cron), run id \(run.metadata.labels?[OperatorLabels.runID] ?? "")\(suspended)",
            terminal: context.terminal)
        return .success
    }
}
