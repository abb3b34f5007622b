import Foundation

/// Everything needed to reach one API server: where, how to trust it, who we are.
public struct ClusterConfiguration: Sendable, Hashable {
    /// Base URL, e.g. `https://10.96.0.1:443`, without a trailing slash.
    public var server: String
    public var tls: TLSOptions
    public var credentials: Credentials
    /// The namespace to use when none is given (in-cluster: the pod's own).
    public var namespace: String

    /// How requests authenticate.
    public enum Credentials: Sendable, Hashable {
        case none
        /// A fixed bearer token.
        case token(String)
        /// A bearer token read from a file, re-read whenever the file changes (projected
        /// service-account tokens rotate).
        case tokenFile(String)
    }

    public init(
        server: String, tls: TLSOptions = TLSOptions(), credentials: Credentials = .none, namespace: String = "default"
    ) {
        self.server = server.hasSuffix("/") ? String(server.dropLast()) : server
        self.tls = tls
        self.credentials = credentials
        self.namespace = namespace
    }

    /// In-cluster if `KUBERNETES_SERVICE_HOST` is set, else the kubeconfig.
    public static func load(environment: [String: String] = ProcessInfo.processInfo.environment, context: String? = nil)
        throws(KubeError) -> ClusterConfiguration
    {
        if environment["KUBERNETES_SERVICE_HOST"] != nil, context == nil {
            return try inCluster(environment: environment)
        }
        return try Kubeconfig.load(environment: environment).configuration(context: context)
    }
}
