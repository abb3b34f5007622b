import Foundation
import HTTPTransport

extension ClusterConfiguration {
    /// Where a pod's service account is mounted.
    public static let serviceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount"

    /// The configuration of a pod: `KUBERNETES_SERVICE_HOST`/`_PORT`, and the service
    /// account's `token` (re-read when it rotates), `ca.crt` and `namespace` files.
    /// - Parameter directory: the service-account mount; tests pass a temporary one.
    public static func inCluster(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        directory: String = serviceAccountDirectory
    ) throws(KubeError) -> ClusterConfiguration {
        guard let host = environment["KUBERNETES_SERVICE_HOST"], !host.isEmpty else {
            throw .configuration(setting: "KUBERNETES_SERVICE_HOST", message: "not set: not running in a cluster")
        }
        guard let port = environment["KUBERNETES_SERVICE_PORT"], Int(port) != nil else {
            throw .configuration(setting: "KUBERNETES_SERVICE_PORT", message: "missing or not a port number")
        }
        let tokenPath = directory + "/token"
        let caPath = directory + "/ca.crt"
        for (setting, path) in [("service account token", tokenPath), ("service account CA", caPath)]
        where !FileManager.default.isReadableFile(atPath: path) {
            throw .configuration(setting: setting, message: "\(path) is not readable")
        }
        let namespace = (try? String(contentsOfFile: directory + "/namespace", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines)
        // An IPv6 service address needs brackets in a URL.
        let hostPart = host.contains(":") ? "[\(host)]" : host
        return ClusterConfiguration(
            server: "https://\(hostPart):\(port)",
            tls: TLSOptions(certificateAuthority: .file(caPath)),
            credentials: .tokenFile(tokenPath),
            namespace: namespace.flatMap { $0.isEmpty ? nil : $0 } ?? "default")
    }
}
