import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// One HTTP/1.0 GET to a port on 127.0.0.1, for tests that read the supervisor's health port.
///
/// Written on a plain socket rather than URLSession because FoundationNetworking keeps a shared
/// session and its own threads alive across tests; one request, read to EOF, is all a probe needs.
public enum LoopbackHTTP {
    /// A response: the status code and the body.
    public struct Response: Sendable {
        public let status: Int
        public let body: String
    }

    /// A failure to connect or a reply that is not HTTP.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// GETs `path` on `port`; waits up to `timeout` seconds for each read.
    public static func get(port: Int, path: String, timeout: Int = 10) throws -> Response {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: errno \(errno)") }
        defer { close(fd) }
        try connectLoopback(fd, port: port)
        let request = Array("GET \(path) HTTP/1.0\r\nHost: localhost\r\n\r\n".utf8)
        _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        var readTimeout = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &readTimeout, socklen_t(MemoryLayout<timeval>.size))
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while case let n = recv(fd, &buffer, buffer.count, 0), n > 0 { response += buffer[0..<n] }
        return try parse(String(decoding: response, as: UTF8.self))
    }

    private static func connectLoopback(_ fd: Int32, port: Int) throws {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard status == 0 else { throw Failure(description: "connect to 127.0.0.1:\(port) failed: errno \(errno)") }
    }

    private static func parse(_ text: String) throws -> Response {
        guard let headEnd = text.range(of: "\r\n\r\n"),
            let code = Int(text.split(separator: " ").dropFirst().first ?? "")
        else {
            throw Failure(description: "not an HTTP response: \(text.prefix(200))")
        }
        return Response(status: code, body: String(text[headEnd.upperBound...]))
    }
}
