import Foundation

/// How the transport authenticates the server and itself. Verification is on unless
/// `insecureSkipVerify` is set, which only an explicit configuration setting may do.
public struct TLSOptions: Sendable, Hashable {
    /// Where a PEM value comes from: a file (re-read by libcurl per connection) or bytes.
    public enum Source: Sendable, Hashable {
        case file(String)
        case data(Data)
    }

    /// The CA bundle that signs the server's certificate; nil means the system bundle.
    public var certificateAuthority: Source?
    /// Client certificate and key for mutual TLS.
    public var clientCertificate: Source?
    public var clientKey: Source?
    /// Turns server verification off (kubeconfig `insecure-skip-tls-verify: true` only).
    public var insecureSkipVerify: Bool

    public init(
        certificateAuthority: Source? = nil, clientCertificate: Source? = nil, clientKey: Source? = nil,
        insecureSkipVerify: Bool = false
    ) {
        self.certificateAuthority = certificateAuthority
        self.clientCertificate = clientCertificate
        self.clientKey = clientKey
        self.insecureSkipVerify = insecureSkipVerify
    }
}
