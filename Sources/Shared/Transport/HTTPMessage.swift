import Foundation

/// One HTTP request as the transport sends it; the Kubernetes layer builds these.
public struct HTTPRequest: Sendable {
    /// `GET`, `POST`, `PUT`, `PATCH`, `DELETE`.
    public var method: String
    /// Absolute URL, query included.
    public var url: String
    /// Header fields in order; names as given.
    public var headers: [(name: String, value: String)]
    public var body: Data?
    /// Whole-transfer limit; nil for streams that may stay open (watch, log follow).
    public var timeout: Duration?

    public init(
        method: String = "GET", url: String, headers: [(name: String, value: String)] = [], body: Data? = nil,
        timeout: Duration? = .seconds(30)
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }
}

/// Status line and header fields of a response, known before the body streams in.
public struct HTTPResponseHead: Sendable, Hashable {
    public var status: Int
    /// Header fields with lower-cased names; a repeated field keeps its last value.
    public var headers: [String: String]
    /// `1.1` or `2`, as negotiated (HTTP/2 when the server offers it over TLS).
    public var httpVersion: String

    public init(status: Int, headers: [String: String] = [:], httpVersion: String = "1.1") {
        self.status = status
        self.headers = headers
        self.httpVersion = httpVersion
    }
}

/// A complete, buffered response.
public struct HTTPResponse: Sendable {
    public var head: HTTPResponseHead
    public var body: Data

    public init(head: HTTPResponseHead, body: Data) {
        self.head = head
        self.body = body
    }

    public var status: Int { head.status }
}

/// A response whose body arrives as lines (`\n`-terminated, terminator removed), as a watch
/// stream or a followed log does. Lines come in batches: one batch per network read.
public struct HTTPLineStream: Sendable {
    public var head: HTTPResponseHead
    /// Ends when the server closes the body; throws `TransportError` when the connection breaks.
    public var lines: LineBatches
}
