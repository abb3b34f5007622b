import Foundation
import Yams

/// A kubeconfig file (YAML, as kubectl writes it): clusters, users, contexts.
///
/// Supported: `current-context` or a named context; cluster `server`,
/// `certificate-authority(-data)`, `insecure-skip-tls-verify`; user `token`, `tokenFile`,
/// `client-certificate(-data)`, `client-key(-data)`. Relative paths are relative to the
/// file's directory. With several files in `KUBECONFIG`, the first that exists is used
/// (kubectl merges them; the operator only needs one).
public struct Kubeconfig: Decodable, Sendable {
    struct Named<Value: Decodable & Sendable>: Decodable, Sendable {
        var name: String
        var value: Value

        enum CodingKeys: String, CodingKey { case name, cluster, user, context }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decode(String.self, forKey: .name)
            let key = [CodingKeys.cluster, .user, .context].first { container.contains($0) }
            guard let key else {
                throw DecodingError.keyNotFound(
                    CodingKeys.cluster,
                    .init(codingPath: container.codingPath, debugDescription: "entry \(name) has no body"))
            }
            value = try container.decode(Value.self, forKey: key)
        }
    }

    struct Cluster: Decodable, Sendable {
        var server: String
        var certificateAuthority: String?
        var certificateAuthorityData: String?
        var insecureSkipTLSVerify: Bool?

        enum CodingKeys: String, CodingKey {
            case server
            case certificateAuthority = "certificate-authority"
            case certificateAuthorityData = "certificate-authority-data"
            case insecureSkipTLSVerify = "insecure-skip-tls-verify"
        }
    }

    struct User: Decodable, Sendable {
        var token: String?
        var tokenFile: String?
        var clientCertificate: String?
        var clientCertificateData: String?
        var clientKey: String?
        var clientKeyData: String?

        enum CodingKeys: String, CodingKey {
            case token, tokenFile
            case clientCertificate = "client-certificate"
            case clientCertificateData = "client-certificate-data"
            case clientKey = "client-key"
            case clientKeyData = "client-key-data"
        }
    }

    struct Context: Decodable, Sendable {
        var cluster: String
        var user: String?
        var namespace: String?
    }

    var clusters: [Named<Cluster>]
    var users: [Named<User>]?
    var contexts: [Named<Context>]
    var currentContext: String?
    /// The directory relative paths are resolved against.
    var directory: String = "."

    enum CodingKeys: String, CodingKey {
        case clusters, users, contexts
        case currentContext = "current-context"
    }
}

extension Kubeconfig {
    /// Reads `KUBECONFIG` (first existing file) or `~/.kube/config`.
    public static func load(environment: [String: String] = ProcessInfo.processInfo.environment) throws(KubeError)
        -> Kubeconfig
    {
        let home = environment["HOME"] ?? NSHomeDirectory()
        let candidates =
            environment["KUBECONFIG"].map { $0.split(separator: ":").map(String.init) } ?? ["\(home)/.kube/config"]
        guard let path = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            throw .configuration(
                setting: "KUBECONFIG", message: "no kubeconfig at \(candidates.joined(separator: ":"))")
        }
        return try parse(contentsOf: path)
    }

    /// Parses the file at `path`.
    public static func parse(contentsOf path: String) throws(KubeError) -> Kubeconfig {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw .configuration(setting: "KUBECONFIG", message: "\(path) is not readable")
        }
        var config = try parse(yaml: text, path: path)
        config.directory = (path as NSString).deletingLastPathComponent
        return config
    }

    /// Parses kubeconfig YAML (JSON is YAML too); `path` only names the source in errors.
    public static func parse(yaml: String, path: String = "kubeconfig") throws(KubeError) -> Kubeconfig {
        do {
            return try YAMLDecoder().decode(Kubeconfig.self, from: yaml)
        } catch {
            throw .configuration(setting: "KUBECONFIG", message: "\(path) is not a valid kubeconfig: \(error)")
        }
    }

    /// The configuration of `context`, or of `current-context` when nil.
    public func configuration(context name: String? = nil) throws(KubeError) -> ClusterConfiguration {
        guard let contextName = name ?? currentContext else {
            throw .configuration(setting: "current-context", message: "not set and no context named")
        }
        guard let context = contexts.first(where: { $0.name == contextName })?.value else {
            throw .configuration(setting: "context", message: "no context named \(contextName)")
        }
        guard let cluster = clusters.first(where: { $0.name == context.cluster })?.value else {
            throw .configuration(
                setting: "contexts.\(contextName).cluster", message: "no cluster named \(context.cluster)")
        }
        let user = try context.user.map { (userName) throws(KubeError) -> User in
            guard let user = users?.first(where: { $0.name == userName })?.value else {
                throw .configuration(setting: "contexts.\(contextName).user", message: "no user named \(userName)")
            }
            return user
        }
        let tls = TLSOptions(
            certificateAuthority: try source(
                file: cluster.certificateAuthority, data: cluster.certificateAuthorityData,
                setting: "certificate-authority-data"),
            clientCertificate: try source(
                file: user?.clientCertificate, data: user?.clientCertificateData, setting: "client-certificate-data"),
            clientKey: try source(file: user?.clientKey, data: user?.clientKeyData, setting: "client-key-data"),
            insecureSkipVerify: cluster.insecureSkipTLSVerify ?? false)
        let credentials: ClusterConfiguration.Credentials =
            if let token = user?.token { .token(token) } else if let file = user?.tokenFile {
                .tokenFile(resolve(file))
            } else { .none }
        return ClusterConfiguration(
            server: cluster.server, tls: tls, credentials: credentials, namespace: context.namespace ?? "default")
    }

    /// Inline base64 data wins over a file, as in client-go.
    private func source(file: String?, data: String?, setting: String) throws(KubeError) -> TLSOptions.Source? {
        if let data {
            guard let bytes = Data(base64Encoded: data, options: .ignoreUnknownCharacters) else {
                throw .configuration(setting: setting, message: "not valid base64")
            }
            return .data(bytes)
        }
        return file.map { .file(resolve($0)) }
    }

    private func resolve(_ path: String) -> String {
        path.hasPrefix("/") ? path : (directory as NSString).appendingPathComponent(path)
    }
}
