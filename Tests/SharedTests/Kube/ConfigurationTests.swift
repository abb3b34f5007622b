import Foundation
import Testing

@testable import Shared

@Suite struct ConfigurationTests {
    static let kubeconfig = """
        apiVersion: v1
        kind: Config
        current-context: dev
        clusters:
        - name: dev-cluster
          cluster:
            server: https://127.0.0.1:6443/
            certificate-authority: certs/ca.crt
        - name: prod-cluster
          cluster:
            server: https://prod.example:443
            certificate-authority-data: \(Data("CA PEM".utf8).base64EncodedString())
        - name: lab-cluster
          cluster:
            server: https://lab:6443
            insecure-skip-tls-verify: true
        users:
        - name: dev-user
          user:
            token: abc123
        - name: prod-user
          user:
            client-certificate-data: \(Data("CERT".utf8).base64EncodedString())
            client-key-data: \(Data("KEY".utf8).base64EncodedString())
        - name: lab-user
          user:
            tokenFile: /var/token
            client-certificate: /etc/cert.pem
            client-key: key.pem
        contexts:
        - name: dev
          context: {cluster: dev-cluster, user: dev-user, namespace: omjobs}
        - name: prod
          context: {cluster: prod-cluster, user: prod-user}
        - name: lab
          context: {cluster: lab-cluster, user: lab-user}
        - name: broken
          context: {cluster: nowhere, user: dev-user}
        """

    static let contexts: [(String?, ClusterConfiguration)] = [
        (
            nil,
            ClusterConfiguration(
                server: "https://127.0.0.1:6443",
                tls: TLSOptions(certificateAuthority: .file("/home/me/.kube/certs/ca.crt")),
                credentials: .token("abc123"), namespace: "omjobs")
        ),
        (
            "prod",
            ClusterConfiguration(
                server: "https://prod.example:443",
                tls: TLSOptions(
                    certificateAuthority: .data(Data("CA PEM".utf8)), clientCertificate: .data(Data("CERT".utf8)),
                    clientKey: .data(Data("KEY".utf8))))
        ),
        (
            "lab",
            ClusterConfiguration(
                server: "https://lab:6443",
                tls: TLSOptions(
                    clientCertificate: .file("/etc/cert.pem"), clientKey: .file("/home/me/.kube/key.pem"),
                    insecureSkipVerify: true), credentials: .tokenFile("/var/token"))
        ),
    ]

    @Test(arguments: contexts)
    func kubeconfigContexts(context: String?, expected: ClusterConfiguration) throws {
        var config = try Kubeconfig.parse(yaml: Self.kubeconfig)
        config.directory = "/home/me/.kube"
        #expect(try config.configuration(context: context) == expected)
    }

    static let badSettings: [(String, String)] = [("broken", "contexts.broken.cluster"), ("missing", "context")]

    @Test(arguments: badSettings)
    func badContextNamesTheSetting(context: String, setting: String) throws {
        let config = try Kubeconfig.parse(yaml: Self.kubeconfig)
        #expect {
            try config.configuration(context: context)
        } throws: { error in
            guard case .configuration(let named, _) = error as? KubeError else { return false }
            return named == setting
        }
    }

    @Test func inClusterReadsEnvironmentAndServiceAccountFiles() throws {
        let directory = NSTemporaryDirectory() + "sa-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "tok".write(toFile: directory + "/token", atomically: true, encoding: .utf8)
        try "PEM".write(toFile: directory + "/ca.crt", atomically: true, encoding: .utf8)
        try "team-a\n".write(toFile: directory + "/namespace", atomically: true, encoding: .utf8)
        let env = ["KUBERNETES_SERVICE_HOST": "10.96.0.1", "KUBERNETES_SERVICE_PORT": "443"]
        let config = try ClusterConfiguration.inCluster(environment: env, directory: directory)
        #expect(
            config
                == ClusterConfiguration(
                    server: "https://10.96.0.1:443",
                    tls: TLSOptions(certificateAuthority: .file(directory + "/ca.crt")),
                    credentials: .tokenFile(directory + "/token"), namespace: "team-a"))
        #expect(throws: KubeError.self) {
            try ClusterConfiguration.inCluster(environment: ["KUBERNETES_SERVICE_HOST": "h"], directory: directory)
        }
    }

    @Test func loadPrefersInClusterThenKUBECONFIGFirstExistingFile() throws {
        let directory = NSTemporaryDirectory() + "kc-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory + "/certs", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Self.kubeconfig.write(toFile: directory + "/config", atomically: true, encoding: .utf8)
        let env = ["KUBECONFIG": "\(directory)/missing:\(directory)/config", "HOME": "/nonexistent"]
        let config = try ClusterConfiguration.load(environment: env)
        #expect(config.server == "https://127.0.0.1:6443")
        #expect(
            config.tls.certificateAuthority == .file(directory + "/certs/ca.crt"),
            "relative to the kubeconfig's directory")
        #expect(try ClusterConfiguration.load(environment: env, context: "lab").tls.insecureSkipVerify)
        #expect {
            try ClusterConfiguration.load(environment: ["HOME": "/nonexistent"])
        } throws: { error in
            guard case .configuration(let setting, _) = error as? KubeError else { return false }
            return setting == "KUBECONFIG"
        }
    }

    @Test func tokenFileIsReReadWhenItChanges() throws {
        let path = NSTemporaryDirectory() + "token-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "first\n".write(toFile: path, atomically: true, encoding: .utf8)
        let source = TokenSource(.tokenFile(path))
        #expect(try source.token() == "first")
        try "second-token".write(toFile: path, atomically: true, encoding: .utf8)  // atomic: a new inode, as a symlink swap
        #expect(try source.token() == "second-token")
    }
}

extension ClusterConfiguration: CustomTestStringConvertible {
    public var testDescription: String { server }
}
