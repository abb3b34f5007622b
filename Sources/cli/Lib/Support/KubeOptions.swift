import ArgumentParser
import Foundation
import KubeJSON
import Shared

/// The flags kubectl users expect on every command that talks to the API server.
struct KubeOptions: ParsableArguments {
    @Option(help: "Path to the kubeconfig file (default: $KUBECONFIG, else ~/.kube/config, else in-cluster).")
    var kubeconfig: String?

    @Option(help: "The kubeconfig context to use (default: its current-context).")
    var context: String?

    @Option(name: [.short, .long], help: "Namespace (default: the context's namespace, else default).")
    var namespace: String?
}

/// A client for one command, with the loop thread its transfers run on.
final class Connection: Sendable {
    let client: KubeClient
    /// The namespace a command acts in when none is given.
    let namespace: String
    private let loop: LoopThread

    /// Interactive commands give up on an unreachable server after seconds, not the operator's minute.
    static let retry = RetryPolicy(initialBackoff: .milliseconds(100), maxBackoff: .seconds(2), deadline: .seconds(10))

    init(_ options: KubeOptions, environment: [String: String]) throws {
        let configuration = try Self.configuration(options, environment: environment)
        loop = try LoopThread(name: "kubectl-omjob")
        client = KubeClient(configuration: configuration, executor: loop.executor, retry: Self.retry)
        namespace = options.namespace ?? configuration.namespace
    }

    /// Stops the loop thread; call once the command is done.
    func close() { loop.stopAndWait() }

    /// kubectl's order: `--kubeconfig`, `$KUBECONFIG`, `~/.kube/config`, then the pod's service account.
    static func configuration(_ options: KubeOptions, environment: [String: String]) throws -> ClusterConfiguration {
        do {
            if let path = options.kubeconfig {
                return try Kubeconfig.parse(contentsOf: path).configuration(context: options.context)
            }
            let home = environment["HOME"] ?? NSHomeDirectory()
            let hasFile =
                environment["KUBECONFIG"].map { !$0.isEmpty }
                ?? FileManager.default.fileExists(atPath: "\(home)/.kube/config")
            if !hasFile, environment["KUBERNETES_SERVICE_HOST"] != nil, options.context == nil {
                return try ClusterConfiguration.inCluster(environment: environment)
            }
            return try Kubeconfig.load(environment: environment).configuration(context: options.context)
        } catch {
            throw CLIError("cannot reach a cluster: \(error)")
        }
    }
}

/// Object kinds the commands read, by their place in the API.
enum Kinds {
    static let omjobs = OMJob.resourceType
    static let cronomjobs = CronOMJob.resourceType
    static let pods = Pod.resourceType
    static let events = Event.resourceType
}

/// A decoded object together with the JSON it came from, so that `-o json` prints every field
/// the server sent, including the ones the models leave out.
struct Raw<Model: Decodable & Sendable>: Decodable, Sendable {
    var json: JSONValue
    var model: Model

    init(from decoder: any Decoder) throws {
        json = try JSONValue(from: decoder)
        model = try Model(from: decoder)
    }

    var name: String { json[path: ["metadata", "name"]]?.stringValue ?? "" }
    var namespace: String { json[path: ["metadata", "namespace"]]?.stringValue ?? "" }
}

extension Connection {
    /// Every object of `resource` in `namespace` (nil: all), page by page.
    func list<Model: Decodable & Sendable>(
        _ model: Model.Type, _ resource: ResourceType, namespace: String?,
        labelSelector: String? = nil, fieldSelector: String? = nil
    ) async throws -> [Raw<Model>] {
        let options = ListOptions(labelSelector: labelSelector, fieldSelector: fieldSelector, limit: 500)
        do {
            return try await client.list(Raw<Model>.self, resource: resource, namespace: namespace, options: options)
                .items
        } catch {
            let scope = namespace.map { "in namespace \($0)" } ?? "in any namespace"
            throw CLIError.api(error, "list", "\(resource.plural) \(scope)")
        }
    }

    /// One object, with a message naming it when it cannot be read.
    func get<Model: Decodable & Sendable>(
        _ model: Model.Type, _ resource: ResourceType, namespace: String, name: String
    ) async throws -> Raw<Model> {
        do {
            return try await client.get(Raw<Model>.self, resource: resource, namespace: namespace, name: name)
        } catch {
            throw CLIError.api(error, "get", "\(resource.kind.lowercased()) \(namespace)/\(name)")
        }
    }

    /// One object, or nil when it does not exist.
    func find<Model: Decodable & Sendable>(
        _ model: Model.Type, _ resource: ResourceType, namespace: String, name: String
    ) async throws -> Raw<Model>? {
        do {
            return try await client.get(Raw<Model>.self, resource: resource, namespace: namespace, name: name)
        } catch  where error.isNotFound {
            return nil
        } catch {
            throw CLIError.api(error, "get", "\(resource.kind.lowercased()) \(namespace)/\(name)")
        }
    }
}
