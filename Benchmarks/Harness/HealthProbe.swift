import Foundation

/// The status code of one GET on loopback. Written on plain sockets because the harness
/// needs only the status line of the supervisor's probes, synchronously, from any thread.
enum HealthProbe {
    static func status(port: Int, path: String) -> Int? {
        guard let response = get(port: port, path: path, limit: 64), response.count > 12 else { return nil }
        return Int(String(decoding: response[9..<12], as: UTF8.self))
    }

    /// The body of a 200 answer (the server closes the connection after it), or nil.
    static func body(port: Int, path: String) -> String? {
        guard let response = get(port: port, path: path, limit: 16 << 20),
            String(decoding: response.prefix(12), as: UTF8.self).hasSuffix("200"),
            let end = response.firstRange(of: Array("\r\n\r\n".utf8))
        else { return nil }
        return String(decoding: response[end.upperBound...], as: UTF8.self)
    }

    /// The raw response to one GET, up to `limit` bytes.
    private static func get(port: Int, path: String, limit: Int) -> [UInt8]? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = loopback(port: port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { return nil }
        let request = Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8)
        guard send(fd, request, request.count, 0) == request.count else { return nil }
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while response.count < limit {
            let count = recv(fd, &buffer, min(buffer.count, limit - response.count), 0)
            guard count > 0 else { break }
            response += buffer[..<count]
        }
        return response.isEmpty ? nil : response
    }

    static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }
}

/// A TCP port free on loopback right now (bound to port 0, read back, released). The
/// supervisor's health port must be known to probe it; a race with another process taking the
/// port in between is possible but rare, and shows as a failed start.
enum FreePort {
    static func pick() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw HarnessError("socket: errno \(errno)") }
        defer { close(fd) }
        var address = HealthProbe.loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else { throw HarnessError("bind: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
