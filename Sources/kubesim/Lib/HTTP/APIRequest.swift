import Foundation
import KubeJSON

/// One HTTP request as the API layer sees it (already fully read).
public struct APIRequest: Sendable {
    public var method: String
    /// The path without the query, percent-decoded per segment by `segments`.
    public var path: String
    public var query: [String: String]
    /// Header names lower-cased.
    public var headers: [String: String]
    public var body: [UInt8]
    /// How the request arrived (HTTP version, TCP connection).
    public var transport: RequestTransport

    init(
        method: String, uri: String, headers: [String: String], body: [UInt8],
        transport: RequestTransport = RequestTransport()
    ) {
        self.method = method
        self.transport = transport
        self.headers = headers
        self.body = body
        let parts = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        path = String(parts.first ?? "")
        var query: [String: String] = [:]
        if parts.count > 1 {
            for pair in parts[1].split(separator: "&") {
                let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let key = Self.percentDecode(String(kv[0]))
                query[key] = kv.count > 1 ? Self.percentDecode(String(kv[1])) : ""
            }
        }
        self.query = query
    }

    var segments: [String] { path.split(separator: "/").map { Self.percentDecode(String($0)) } }

    /// The media type of the body, without parameters (`application/json`).
    var contentType: String {
        (headers["content-type"] ?? "").split(separator: ";").first.map {
            $0.trimmingCharacters(in: .whitespaces).lowercased()
        } ?? ""
    }

    func flag(_ name: String) -> Bool { ["1", "true"].contains(query[name]?.lowercased() ?? "") }

    static func percentDecode(_ s: String) -> String {
        guard s.contains("%") || s.contains("+") else { return s }
        var bytes: [UInt8] = []
        var iterator = Array(s.utf8).makeIterator()
        while let b = iterator.next() {
            if b == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
                continue
            }
            guard b == UInt8(ascii: "%"), let h = iterator.next(), let l = iterator.next(),
                let v = UInt8(String(decoding: [h, l], as: UTF8.self), radix: 16)
            else {
                bytes.append(b)
                continue
            }
            bytes.append(v)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// What the API layer answers.
enum APIResponse: Sendable {
    /// A JSON body with a status code.
    case json(Int, JSONValue)
    /// A pre-encoded body with its content type.
    case raw(Int, contentType: String, [UInt8])
    /// Start a watch stream.
    case watch(WatchRequest)
    /// Stream a container log as it grows (`follow=true`), see `LogFollowStream`.
    case followLog(LogFollowRequest)

    static func error(_ error: KubeAPIError) -> APIResponse { .json(error.code, error.status) }
}

/// A validated watch request, started by the connection handler.
struct WatchRequest: Sendable {
    var resource: GroupResource
    var namespace: String?
    var options: WatchOptions
    var timeoutSeconds: Int64?
    /// `.object`: each event's object as PartialObjectMetadata; `.list`: as v1.20 does, no event
    /// at all (each object fails to convert to a list).
    var metadataOnly: MetadataOnly.Asked? = nil
}

/// How a request reached kubesim: the HTTP version spoken and the TCP connection it came on
/// (numbered from 1 in accept order). Tests read it, through the interceptor hook, to check
/// that a client negotiated HTTP/2 and multiplexed its requests on one connection.
public struct RequestTransport: Sendable, Hashable {
    /// "1.1" or "2.0".
    public var httpVersion: String
    public var connection: Int

    public init(httpVersion: String = "1.1", connection: Int = 0) {
        self.httpVersion = httpVersion
        self.connection = connection
    }
}
