import ArgumentParser
import Foundation
import KubeJSON
import Shared
import Watcher

/// `-o` of `list`.
enum ListOutput: String, ExpressibleByArgument, CaseIterable {
    case json, yaml, wide, name
}

/// `-o` of commands that print one object or document.
enum DocumentOutput: String, ExpressibleByArgument, CaseIterable {
    case json, yaml, name
}

struct ListRuns: CLICommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "Runs with their phase, how the main pod ended, the exit handler's result and attempts, age.",
        aliases: ["ls", "get"])

    @OptionGroup var kube: KubeOptions
    @Flag(name: [.customShort("A"), .long], help: "Every namespace.") var allNamespaces = false
    @Option(
        name: [.customShort("l"), .long], help: "Label selector, as kubectl's -l (e.g. app.kubernetes.io/pipeline=x).")
    var selector: String?
    @Option(
        help:
            "Only runs in these phases (comma-separated): \(OMJobPhase.allCases.map(\.rawValue).joined(separator: ", "))."
    ) var phase: String?
    @Option(name: [.short, .long], help: "json, yaml, wide or name (default: a table).") var output: ListOutput?

    func validate() throws { _ = try phases() }

    /// The phases asked for, any case; nil for all.
    func phases() throws -> Set<OMJobPhase>? {
        guard let phase else { return nil }
        var result = Set<OMJobPhase>()
        for part in phase.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !part.isEmpty {
            guard let match = OMJobPhase.allCases.first(where: { $0.rawValue.lowercased() == part.lowercased() }) else {
                throw ValidationError(
                    "unknown phase \"\(part)\": use \(OMJobPhase.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            result.insert(match)
        }
        return result
    }

    func execute(_ context: CLIContext) async throws -> ExitStatus {
        let connection = try Connection(kube, environment: context.environment)
        defer { connection.close() }
        let scope = allNamespaces ? nil : connection.namespace
        var runs = try await connection.list(OMJob.self, Kinds.omjobs, namespace: scope, labelSelector: selector)
        if let phases = try phases() {
            runs = runs.filter { run in run.model.status?.phase.map(phases.contains) ?? false }
        }
        runs.sort { ($0.namespace, $0.name) < ($1.namespace, $1.name) }
        let terminal = context.terminal
        switch output {
        case .json, .yaml:
            terminal.write((output == .json ? MachineFormat.json : .yaml).render(listDocument(runs.map(\.json))))
        case .name:
            for run in runs { terminal.line("omjob.pipelines.openmetadata.org/\(run.name)") }
        case .wide, nil:
            guard !runs.isEmpty else {
                terminal.error(scope.map { "No OMJobs found in namespace \($0)." } ?? "No OMJobs found.")
                return .success
            }
            terminal.write(
                ListView.table(runs, allNamespaces: allNamespaces, wide: output == .wide, now: context.now()).render(
                    on: terminal))
        }
        return .success
    }
}

struct Describe: CLICommand {
    static let configuration = CommandConfiguration(
        abstract: "One run as a tree: OMJob, main pod and its recorded ending, exit-handler attempts, events.")

    @OptionGroup var kube: KubeOptions
    @Argument(help: "The OMJob's name.") var name: String
    @Option(name: [.short, .long], help: "json or yaml: the OMJob, its pods and events as the server returned them.")
    var output: DocumentOutput?

    func execute(_ context: CLIContext) async throws -> ExitStatus {
        let connection = try Connection(kube, environment: context.environment)
        defer { connection.close() }
        let tree = try await RunTree.load(name: name, connection: connection)
        switch output {
        case .json: context.terminal.write(MachineFormat.json.render(tree.document))
        case .yaml: context.terminal.write(MachineFormat.yaml.render(tree.document))
        case .name: context.terminal.line("omjob.pipelines.openmetadata.org/\(name)")
        case nil: context.terminal.write(tree.render(on: context.terminal, now: context.now()))
        }
        return .success
    }
}

extension RunTree {
    /// Reads the OMJob, its pods (by the name label) and the events about each.
    static func load(name: String, connection: Connection) async throws -> RunTree {
        let namespace = connection.namespace
        let omjob = try await connection.get(OMJob.self, Kinds.omjobs, namespace: namespace, name: name)
        let pods = try await connection.list(
            Pod.self, Kinds.pods, namespace: namespace,
            labelSelector: "\(OperatorLabels.omJobName)=\(PodNaming.labelValue(name))")
        var events: [Raw<Event>] = []
        let subjects = [omjob.model.metadata.uid] + pods.map(\.model.metadata.uid)
        for uid in subjects.compactMap({ $0 }) {
            events += try await connection.list(
                Event.self, Kinds.events, namespace: namespace, fieldSelector: "involvedObject.uid=\(uid)")
        }
        return RunTree(omjob: omjob, pods: pods, events: events)
    }
}
