import CHTTPParser

/// One HTTP/1.x request as the health endpoint needs it.
public struct HTTPRequestHead: Equatable, Sendable {
    public var method: String
    /// The path without the query string.
    public var path: String
}

/// Why a request could not be parsed (the connection gets a 400 and is closed).
public struct HTTPParseError: Error, Equatable, Sendable {
    public var name: String
}

/// A streaming HTTP request parser over Debian's libhttp-parser (nodejs/http-parser).
///
/// Bytes go in as they arrive; the head comes out once the whole request (with any body) has
/// been read. The parser lives at a stable heap address because libhttp-parser keeps a pointer
/// to it across calls, and callbacks find this object through `http_parser.data`.
public final class HTTPRequestParser {
    private let parser: UnsafeMutablePointer<http_parser>
    private var settings = http_parser_settings()
    fileprivate var url: [UInt8] = []
    fileprivate var complete = false
    private var failed: HTTPParseError?

    /// The request line may not exceed this; a probe's request is a few dozen bytes.
    static let maxURLBytes = 8192

    public init() {
        parser = .allocate(capacity: 1)
        http_parser_init(parser, HTTP_REQUEST)
        settings.on_url = { p, at, length in
            guard let p, let at else { return 1 }
            let me = Unmanaged<HTTPRequestParser>.fromOpaque(p.pointee.data).takeUnretainedValue()
            guard me.url.count + length <= HTTPRequestParser.maxURLBytes else { return 1 }
            me.url.append(contentsOf: UnsafeRawBufferPointer(start: at, count: length))
            return 0
        }
        settings.on_message_complete = { p in
            guard let p else { return 1 }
            Unmanaged<HTTPRequestParser>.fromOpaque(p.pointee.data).takeUnretainedValue().complete = true
            // Pause: the health endpoint answers one request per connection.
            http_parser_pause(p, 1)
            return 0
        }
    }

    deinit { parser.deallocate() }

    /// Feeds bytes; returns the request once it is complete, nil while more bytes are needed.
    public func feed(_ bytes: [UInt8]) throws(HTTPParseError) -> HTTPRequestHead? {
        if let failed { throw failed }
        if complete { return head() }
        parser.pointee.data = Unmanaged.passUnretained(self).toOpaque()
        let parsed = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                http_parser_execute(parser, &settings, chars.baseAddress, chars.count)
            }
        }
        let errno = http_errno(rawValue: parser.pointee.http_errno)
        if !complete, errno != HPE_OK || parsed != bytes.count {
            let error = HTTPParseError(name: String(cString: http_errno_name(errno)))
            failed = error
            throw error
        }
        return complete ? head() : nil
    }

    /// EOF from the client: a request that is still incomplete is an error.
    public func finish() throws(HTTPParseError) {
        guard !complete else { return }
        throw HTTPParseError(name: "HPE_INVALID_EOF_STATE")
    }

    private func head() -> HTTPRequestHead {
        let method = String(cString: http_method_str(http_method(rawValue: parser.pointee.method)))
        let target = String(decoding: url, as: UTF8.self)
        let path =
            target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? "/"
        return HTTPRequestHead(method: method, path: path.isEmpty ? "/" : path)
    }
}
