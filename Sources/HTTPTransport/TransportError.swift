import CCurl

/// A request that produced no HTTP response: the libcurl code, what kind of failure it is, and
/// libcurl's own message. HTTP error statuses are not transport errors.
public struct TransportError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Coarse failure classes; the Kubernetes layer decides retries from these.
    public enum Kind: Sendable, Hashable {
        /// No connection was made (refused, unreachable, DNS), or it broke mid-request.
        case connection
        /// The configured timeout elapsed.
        case timeout
        /// The server's certificate failed verification or a TLS file is unusable: retrying won't help.
        case tls
        /// The request was cancelled by its caller.
        case cancelled
        /// Anything else (bad URL, out of memory, protocol misuse).
        case other
    }

    public var kind: Kind
    /// The `CURLcode`, or -1 for failures outside libcurl.
    public var code: Int32
    public var message: String

    public init(kind: Kind, code: Int32 = -1, message: String) {
        self.kind = kind
        self.code = code
        self.message = message
    }

    /// Classifies a libcurl result; `detail` is the transfer's CURLOPT_ERRORBUFFER text.
    init(curlCode: CURLcode, detail: String) {
        let text = detail.isEmpty ? String(cString: curl_easy_strerror(curlCode)) : detail
        self.init(kind: Self.kind(of: curlCode), code: Int32(curlCode.rawValue), message: text)
    }

    static func kind(of code: CURLcode) -> Kind {
        switch code {
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_SEND_ERROR, CURLE_RECV_ERROR,
            CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE, CURLE_HTTP2, CURLE_HTTP2_STREAM, CURLE_SSL_CONNECT_ERROR:
            return .connection
        case CURLE_OPERATION_TIMEDOUT:
            return .timeout
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER:
            return .tls
        case CURLE_ABORTED_BY_CALLBACK:
            return .cancelled
        default:
            return .other
        }
    }

    public var description: String { "transport \(kind) (curl \(code)): \(message)" }
}
